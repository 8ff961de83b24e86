"""Migration 2: what newsdesk understands about articles (sections, places, topics, stories),
readers (users, read and starred state, subscriptions) and the admin's mutes."""

from __future__ import annotations

from newsdesk.store.migrations_base import Migration

_SQLITE = """
    -- section_source says who set the section: 'model' (text model plus source evidence) or
    -- 'user' (a correction). duplicate_of points at the original of a syndicated or spun copy.
    ALTER TABLE articles ADD COLUMN section TEXT NOT NULL DEFAULT '';
    ALTER TABLE articles ADD COLUMN section_scores TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE articles ADD COLUMN section_source TEXT NOT NULL DEFAULT '';
    ALTER TABLE articles ADD COLUMN story_id INTEGER;
    ALTER TABLE articles ADD COLUMN duplicate_of INTEGER;
    CREATE INDEX articles_section ON articles(section, sort_time);
    CREATE INDEX articles_story ON articles(story_id);
    CREATE INDEX articles_duplicate_of ON articles(duplicate_of);

    CREATE TABLE article_places (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        country_code TEXT NOT NULL,
        country TEXT NOT NULL DEFAULT '',
        region TEXT NOT NULL DEFAULT '',
        mentions INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (article_id, kind, name)
    );
    CREATE INDEX article_places_country ON article_places(country_code);
    CREATE INDEX article_places_region ON article_places(region);

    CREATE TABLE article_topics (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT '',
        mentions INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (article_id, key)
    );
    CREATE INDEX article_topics_key ON article_topics(key);

    -- Per-source reliability of each kind of section evidence, as JSON (classify.SourceStats).
    CREATE TABLE source_stats (
        source_id INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
        stats TEXT NOT NULL
    );

    CREATE TABLE section_corrections (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        source_id INTEGER NOT NULL,
        previous TEXT NOT NULL,
        section TEXT NOT NULL,
        username TEXT NOT NULL DEFAULT '',
        corrected_at TEXT NOT NULL
    );

    -- A story folds many articles; merged_into is set when two stories turned out to be one.
    CREATE TABLE stories (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL DEFAULT '',
        lead_article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
        section TEXT NOT NULL DEFAULT '',
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        article_count INTEGER NOT NULL DEFAULT 0,
        outlet_count INTEGER NOT NULL DEFAULT 0,
        score REAL NOT NULL DEFAULT 0,
        merged_into INTEGER
    );
    CREATE INDEX stories_rank ON stories(score);
    CREATE INDEX stories_section ON stories(section, score);
    CREATE INDEX stories_last_seen ON stories(last_seen);

    CREATE TABLE story_related (
        story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        related_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        score REAL NOT NULL,
        PRIMARY KEY (story_id, related_id)
    );

    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL DEFAULT '',
        api_password_hash TEXT NOT NULL DEFAULT '',
        is_admin INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    );

    -- No row means unread and not starred.
    CREATE TABLE user_articles (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        is_read INTEGER NOT NULL DEFAULT 0,
        is_starred INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (user_id, article_id)
    );
    CREATE INDEX user_articles_starred ON user_articles(user_id, is_starred);

    -- kind is 'source', 'section' or 'topic'; ref is the source id, section name or topic key.
    CREATE TABLE subscriptions (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        ref TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        PRIMARY KEY (user_id, kind, ref)
    );

    -- kind is 'source' or 'topic': muted items leave the front page, section pages and feeds.
    CREATE TABLE mutes (
        kind TEXT NOT NULL,
        ref TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (kind, ref)
    );

    -- Small named values the application keeps for itself (e.g. the session signing key).
    CREATE TABLE app_state (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
"""

_POSTGRESQL = """
    ALTER TABLE articles ADD COLUMN section TEXT NOT NULL DEFAULT '';
    ALTER TABLE articles ADD COLUMN section_scores JSONB NOT NULL DEFAULT '{}';
    ALTER TABLE articles ADD COLUMN section_source TEXT NOT NULL DEFAULT '';
    ALTER TABLE articles ADD COLUMN story_id BIGINT;
    ALTER TABLE articles ADD COLUMN duplicate_of BIGINT;
    CREATE INDEX articles_section ON articles(section, sort_time);
    CREATE INDEX articles_story ON articles(story_id);
    CREATE INDEX articles_duplicate_of ON articles(duplicate_of);

    CREATE TABLE article_places (
        article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        country_code TEXT NOT NULL,
        country TEXT NOT NULL DEFAULT '',
        region TEXT NOT NULL DEFAULT '',
        mentions INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (article_id, kind, name)
    );
    CREATE INDEX article_places_country ON article_places(country_code);
    CREATE INDEX article_places_region ON article_places(region);

    CREATE TABLE article_topics (
        article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT '',
        mentions INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (article_id, key)
    );
    CREATE INDEX article_topics_key ON article_topics(key);

    CREATE TABLE source_stats (
        source_id BIGINT PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
        stats JSONB NOT NULL
    );

    CREATE TABLE section_corrections (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        source_id BIGINT NOT NULL,
        previous TEXT NOT NULL,
        section TEXT NOT NULL,
        username TEXT NOT NULL DEFAULT '',
        corrected_at TIMESTAMPTZ NOT NULL
    );

    CREATE TABLE stories (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        title TEXT NOT NULL DEFAULT '',
        lead_article_id BIGINT REFERENCES articles(id) ON DELETE SET NULL,
        section TEXT NOT NULL DEFAULT '',
        first_seen TIMESTAMPTZ NOT NULL,
        last_seen TIMESTAMPTZ NOT NULL,
        article_count INTEGER NOT NULL DEFAULT 0,
        outlet_count INTEGER NOT NULL DEFAULT 0,
        score DOUBLE PRECISION NOT NULL DEFAULT 0,
        merged_into BIGINT
    );
    CREATE INDEX stories_rank ON stories(score);
    CREATE INDEX stories_section ON stories(section, score);
    CREATE INDEX stories_last_seen ON stories(last_seen);

    CREATE TABLE story_related (
        story_id BIGINT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        related_id BIGINT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        score DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (story_id, related_id)
    );

    CREATE TABLE users (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL DEFAULT '',
        api_password_hash TEXT NOT NULL DEFAULT '',
        is_admin BOOLEAN NOT NULL DEFAULT FALSE,
        created_at TIMESTAMPTZ NOT NULL
    );

    CREATE TABLE user_articles (
        user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        is_read BOOLEAN NOT NULL DEFAULT FALSE,
        is_starred BOOLEAN NOT NULL DEFAULT FALSE,
        updated_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (user_id, article_id)
    );
    CREATE INDEX user_articles_starred ON user_articles(user_id, is_starred);

    CREATE TABLE subscriptions (
        user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        ref TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        created_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (user_id, kind, ref)
    );

    CREATE TABLE mutes (
        kind TEXT NOT NULL,
        ref TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (kind, ref)
    );

    CREATE TABLE app_state (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
"""

MIGRATION = Migration(sqlite=_SQLITE, postgresql=_POSTGRESQL)
