-- The base Crosshot tables, as the crawler and the analyst created them before the
-- temporal schema existed. A database that already has them records this migration as
-- applied without running it (see src/db/adoption.ts), so this file only ever runs on a
-- fresh database.

-- Up Migration
CREATE TABLE tasks (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    label          varchar(64) NOT NULL,
    priority       smallint NOT NULL DEFAULT 1,
    status         varchar(16) NOT NULL DEFAULT 'pending',
    payload        jsonb NOT NULL DEFAULT '{}',
    parent_job_id  uuid,
    assigned_to    varchar(64),
    created_at     timestamptz NOT NULL DEFAULT now(),
    started_at     timestamptz,
    completed_at   timestamptz,
    retry_count    smallint NOT NULL DEFAULT 0,
    max_retries    smallint NOT NULL DEFAULT 3,
    error          text,
    result         jsonb
);

CREATE TABLE topics (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    type            varchar(16) NOT NULL DEFAULT 'topic',
    name            varchar(256) NOT NULL,
    icon            varchar(8) NOT NULL DEFAULT '📊',
    description     text,
    platforms       text[] NOT NULL DEFAULT '{}',
    keywords        text[] NOT NULL DEFAULT '{}',
    config          jsonb NOT NULL DEFAULT '{}',
    status          varchar(16) NOT NULL DEFAULT 'active',
    is_pinned       boolean NOT NULL DEFAULT false,
    position        integer NOT NULL DEFAULT 0,
    total_contents  integer NOT NULL DEFAULT 0,
    last_crawl_at   timestamptz,
    last_summary    text,
    summary_data    jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name            varchar(256) NOT NULL,
    platform        varchar(16) NOT NULL,
    profile_url     text NOT NULL,
    username        varchar(128),
    config          jsonb NOT NULL DEFAULT '{}',
    status          varchar(16) NOT NULL DEFAULT 'active',
    is_pinned       boolean NOT NULL DEFAULT false,
    position        integer NOT NULL DEFAULT 0,
    total_contents  integer NOT NULL DEFAULT 0,
    last_crawl_at   timestamptz,
    last_summary    text,
    summary_data    jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE topic_users (
    topic_id  uuid NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    user_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (topic_id, user_id)
);

CREATE TABLE contents (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    task_id              uuid NOT NULL REFERENCES tasks (id),
    topic_id             uuid REFERENCES topics (id),
    user_id              uuid REFERENCES users (id) ON DELETE SET NULL,
    platform             varchar(16) NOT NULL,
    platform_content_id  varchar(128),
    source_url           text NOT NULL,
    crawled_at           timestamptz NOT NULL DEFAULT now(),
    author_uid           varchar(64),
    author_username      varchar(64),
    author_display_name  varchar(128),
    text                 text,
    lang                 varchar(8),
    hashtags             text[] NOT NULL DEFAULT '{}',
    media_downloaded     boolean NOT NULL DEFAULT false,
    processing_status    varchar(16),
    key_points           jsonb,
    metrics              jsonb NOT NULL DEFAULT '{}',
    data                 jsonb NOT NULL DEFAULT '{}',
    CONSTRAINT contents_platform_content_id_key UNIQUE (platform, platform_content_id)
);
CREATE INDEX ix_contents_hashtags ON contents USING gin (hashtags);

CREATE TABLE content_media (
    id                serial PRIMARY KEY,
    content_id        uuid NOT NULL REFERENCES contents (id) ON DELETE CASCADE,
    media_type        varchar(16) NOT NULL,
    url               text NOT NULL,
    video_url         text,
    local_path        text,
    video_local_path  text,
    download_status   varchar(16),
    download_error    text,
    position          smallint NOT NULL DEFAULT 0
);

CREATE TABLE chat_messages (
    id           serial PRIMARY KEY,
    entity_type  varchar(16) NOT NULL,
    entity_id    uuid NOT NULL,
    role         varchar(16) NOT NULL,
    content      text NOT NULL,
    is_archived  boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE chat_messages;
DROP TABLE content_media;
DROP TABLE contents;
DROP TABLE topic_users;
DROP TABLE users;
DROP TABLE topics;
DROP TABLE tasks;
