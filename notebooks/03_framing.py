# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (presslab)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 03 · Framing
#
# How the articles frame their story, and the words that show it. Frames come from a codebook
# researchers edit (`lib/presslab/codebook/frames.yaml`): five generic news frames (conflict,
# human interest, economic, morality, responsibility; Semetko & Valkenburg 2000) and issue
# frames for armed-conflict coverage. Every cue found is kept with its place in the text, so
# each frame assigned below can be checked against the sentences that carry it. A frame is
# *present* when its cue weight, relative to the article's length, passes a threshold calibrated
# on annotated news (`scripts/calibrate_frames.py`).
#
# Then: the tone of the sentences that mention each actor (VADER), the names each actor is
# given, the evaluative words, and who is made the agent of each event verb. Every plot is saved
# as a PNG with the table it shows beside it as a CSV of the same name.

# %% tags=["parameters"]
tables: str = ""  # folder of tables written by `presslab analyze`; empty: analyse `corpus` here
corpus: str = ""  # folder or file of articles (used when `tables` is empty); empty: seeds/
plots: str = ""  # folder for this notebook's PNG + CSV files; empty: outputs/lab/03_framing

# %%
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display
from presslab import annotate, framing, notebook

data = notebook.load_tables(tables, corpus)
out = notebook.plots_dir(plots, "03_framing")
articles = data["articles"]
texts = {
    a: art.text
    for a, art in annotate.find_articles(
        articles, notebook.resolve(corpus or "seeds"), articles["article_id"].astype(str)
    ).items()
}

# %% [markdown]
# ## Frame profile
# One row per article, one column per frame: the frame's score (cue weight per √100 body
# words). Frames marked ● are present by the calibrated decision rule.

# %%
scores = framing.frame_matrix(data["article_frames"], "score")
present = framing.frame_matrix(data["article_frames"], "present").fillna(False).astype(bool)
# One labelled row per article up to 40 articles; a larger corpus is drawn as a compact
# overview at most 12 inches tall, without labels or markers (the CSV has every article).
labelled = len(scores) <= 40
fig, ax = plt.subplots(figsize=(9, min(0.5 * len(scores) + 2.2, 12)))
image = ax.imshow(scores.to_numpy(dtype=float), aspect="auto", cmap="Blues")
ax.set_xticks(range(len(scores.columns)), scores.columns, rotation=45, ha="right")
if labelled:
    ax.set_yticks(range(len(scores.index)), [str(i)[:30] for i in scores.index])
    for (row, col), is_present in pd.DataFrame(present.to_numpy()).stack().items():
        if is_present:
            ax.text(col, row, "●", ha="center", va="center", color="#d95f02")
else:
    ax.set_yticks([])
    ax.set_ylabel(f"{len(scores)} articles")
fig.colorbar(image, ax=ax, label="score")
ax.set(title="Frames per article (● present)")
notebook.save_plot(fig, data["article_frames"], "frame_profile", out)
plt.show()

# %%
share = present.mean().rename("share_of_articles").reset_index()
fig, ax = plt.subplots(figsize=(7, 3.2))
ax.barh(share["frame"], share["share_of_articles"], color="#3b6ea8")
ax.set(title="Share of articles with each frame", xlabel="share of articles", xlim=(0, 1))
notebook.save_plot(fig, share, "frame_share", out)
plt.show()

# %% [markdown]
# ## The evidence
# For each frame present in an article, its strongest sentences (up to three) and the cues found
# in them. `start` and `end` are character offsets into the article's text.

# %%
evidence = framing.evidence_table(data["frames"], data["article_frames"], data["sentences"], texts)
evidence.to_csv(out / "frame_evidence.csv", index=False, lineterminator="\n")
with pd.option_context("display.max_colwidth", 200):
    display(evidence)

# %% [markdown]
# ## Tone toward each actor
# VADER's compound score (from −1, most negative, to +1) averaged over the sentences that mention
# the actor. VADER scores the words of a sentence, not the stance toward the actor: a sentence
# about an attack on an actor scores negative whoever is blamed.

# %%
by_actor = framing.tone_by_actor(data["tone"], data["actors"]).head(20)
fig, ax = plt.subplots(figsize=(7, 0.35 * len(by_actor) + 1.5))
colors = ["#b2182b" if c < 0 else "#2166ac" for c in by_actor["compound"]]
ax.barh(by_actor["name"].astype(str), by_actor["compound"], color=colors)
ax.axvline(0, color="black", linewidth=0.8)
ax.invert_yaxis()
ax.set(title="Tone of sentences mentioning each actor", xlabel="mean VADER compound")
notebook.save_plot(fig, by_actor, "tone_by_actor", out)
plt.show()

# %% [markdown]
# ## What each actor is called
# The names, titles and labels used for each actor (pronouns excluded), with how often and in
# how many articles, per outlet.

# %%
labels = framing.label_counts(data["labels"], articles)
labels.to_csv(out / "labels_per_actor.csv", index=False, lineterminator="\n")
labels

# %% [markdown]
# ## Evaluative words
# Intensifiers and words that judge or amplify, by category.

# %%
evaluative = data["evaluative"]
by_category = (
    evaluative.assign(word=evaluative["word"].str.lower())
    .groupby(["category", "word"])
    .size()
    .rename("n")
    .reset_index()
    .sort_values(["category", "n"], ascending=[True, False])
)
counts = by_category.groupby("category")["n"].sum().sort_values()
fig, ax = plt.subplots(figsize=(7, 3.2))
ax.barh(counts.index, counts.to_numpy(), color="#3b6ea8")
ax.set(title="Evaluative words by category", xlabel="occurrences")
notebook.save_plot(fig, by_category, "evaluative_words", out)
plt.show()

# %% [markdown]
# ## Who does what to whom
# For each event verb (launch, fire, strike, intercept, down, kill…): the agent, the verb, its
# voice and the patient. A passive verb without an agent leaves the doer unnamed.

# %%
agency = data["agency"]
agency[["article_id", "sentence_id", "agent", "verb", "voice", "patient", "agent_actor_id"]]

# %%
voice = (
    agency.assign(has_agent=agency["agent"].notna())
    .groupby(["voice", "has_agent"])
    .size()
    .rename("n")
    .reset_index()
)
voice
