"""The story engine's settings: one table, used alike by the live desk and `newsdesk cluster`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StorySettings:
    """Clustering settings; the defaults are the ones tuned on the benchmark's dev portions.

    An article joins the best story in the window when its similarity reaches the threshold for
    its kind: `threshold` for articles with a body, `short_threshold` for headlines alone (a few
    words share less with a story, so less is asked).
    Bodies shorter than `full_words` get a bar between the two, in proportion to their length.
    Bodies longer than the lead get a bar falling to `long_threshold` at `long_words` words
    (0 turns that off): articles on one story written at length share a smaller part of their
    words, and the bar that keeps short reports of two same-kind events apart would break such a
    story into pieces (bench/stories.py reports both).
    A text match (dedup's MinHash) is no copy when neither article names any of the other's
    `copy_names` leading names: a wire template about other people and places is another
    event, while a copy, however spun, keeps its leading names (0 turns this off). When such a
    match shares at least `template_similarity` of its text (estimated Jaccard), the article
    never joins the template's story, which its words would otherwise join: it is listed in
    "See also" instead (a lower match is as often one event whose names were read differently).
    The similarity blends the TF-IDF cosine with agreement on names (`name_weight`); it fades
    with the time between the article and the story's reports beyond `story_gap_days` (a copy
    published later is not a report), and is cut by
    `name_penalty` when the two name entirely different people and places. A headline alone
    that shares a single term with a story has its similarity cut by `lone_word_penalty`.
    With sentence embeddings (the `[embeddings]` extra), an article whose embedding has a cosine
    below `embedding_threshold` with the story's has its similarity cut by `embedding_penalty`:
    the embeddings veto joins the words would make, and the bars stay those of the words.
    A story of at least `quiet_articles` articles has gone quiet when it has had no report for
    `quiet_pace` times its own pace (its span over its articles) and for at least `quiet_days`:
    an article after that is a new development, whose fit to it fades with `quiet_scale_days`,
    so it starts a story that lists the quiet one in "See also" (0 turns this off). Fewer
    articles tell too little of a story's pace: a small desk's few reports of an event and the
    next day's follow-up stay one story, as does a story reported slowly.
    A story is tested for holding two events when its originals first number `split_min`, and
    again each time they grow by `split_growth`, up to `split_max`: it splits when a two-way split
    leaves each article at most `split_ratio` as similar to the other side as to its own (0 turns
    splitting off), with at least `split_min_side` originals a side.
    """

    threshold: float = 0.27
    short_threshold: float = 0.05
    full_words: int = 60
    long_threshold: float = 0.10
    long_words: int = 400
    embedding_threshold: float = 0.30
    embedding_penalty: float = 0.5
    name_weight: float = 0.4
    name_penalty: float = 0.25
    lone_word_penalty: float = 0.5
    min_names: int = 2
    copy_names: int = 1
    template_similarity: float = 0.75
    merge_threshold: float = 0.55
    split_ratio: float = 0.6
    split_min: int = 8
    split_growth: float = 1.5
    split_max: int = 48
    split_min_side: int = 4
    window_days: float = 14.0
    story_gap_days: float = 3.0
    time_scale_days: float = 2.0
    quiet_days: float = 0.5
    quiet_pace: float = 10.0
    quiet_articles: int = 10
    quiet_scale_days: float = 0.1
    lead_words: int = 150
    title_weight: float = 2.0
    entity_weight: float = 0.5
    article_terms: int = 40
    centroid_terms: int = 120
    index_terms: int = 30
    candidate_terms: int = 12
    candidates_per_term: int = 100
    exact_candidates: int = 10
    related_count: int = 5
    related_threshold: float = 0.12
    df_half_life_docs: int = 50_000
