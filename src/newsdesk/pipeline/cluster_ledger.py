"""Each article's current story, followed through the engine's assignments in order.

Merges move whole stories and splits move single articles, so an article's final story cannot be
read from its own assignment alone. The batch command and the benchmark both replay assignments
through a `StoryLedger`; the live desk writes the engine's stories directly instead.
"""

from __future__ import annotations

from newsdesk.pipeline.cluster_models import Assignment


class StoryLedger:
    """Replays assignments: `story_of[article id]` is that article's story so far."""

    def __init__(self) -> None:
        self.story_of: dict[str, str] = {}
        self.members: dict[str, set[str]] = {}
        # Where each absorbed story went; a story reborn by a split is no longer followed.
        self.absorbed_into: dict[str, str] = {}

    def record(self, a: Assignment) -> None:
        """Apply one assignment: the moves of its split, its merges, then the article itself."""
        for article_id, story_id in a.moved:
            self._place(article_id, story_id)
            self.absorbed_into.pop(story_id, None)
        self.absorbed_into.pop(a.story_id, None)
        for absorbed in a.merged:
            self.absorbed_into[absorbed] = a.story_id
            gone = self.members.pop(absorbed, set())
            for article_id in gone:
                self.story_of[article_id] = a.story_id
            self.members.setdefault(a.story_id, set()).update(gone)
        self._place(a.article_id, a.story_id)

    def final_story(self, story_id: str) -> str:
        """Where a story id leads after merges (for "See also" lists)."""
        for _ in range(1000):
            if story_id not in self.absorbed_into:
                break
            story_id = self.absorbed_into[story_id]
        return story_id

    def _place(self, article_id: str, story_id: str) -> None:
        before = self.story_of.get(article_id)
        if before is not None:
            self.members[before].discard(article_id)
        self.story_of[article_id] = story_id
        self.members.setdefault(story_id, set()).add(article_id)
