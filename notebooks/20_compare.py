# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (presslab)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 20 · Comparing articles and outlets
#
# How the corpus's articles and outlets differ: which frames each outlet uses, whom each
# mentions and quotes, what each calls the actors, and where their figures disagree. An
# article's outlet is its `outlet` metadata, else its byline; beyond the 12 largest, outlets are
# pooled as "(other outlets)". Every plot is saved as a PNG with its table as a CSV beside it.

# %% tags=["parameters"]
tables: str = ""  # folder of tables written by `presslab analyze`; empty: analyse `corpus` here
corpus: str = ""  # folder or file of articles (used when `tables` is empty); empty: seeds/
plots: str = ""  # folder for this notebook's PNG + CSV files; empty: outputs/lab/20_compare
top_actors: int = 15  # actors (and speakers) shown: the most mentioned (quoted) in the corpus

# %%
import matplotlib.pyplot as plt
import pandas as pd
from presslab import compare, notebook

data = notebook.load_tables(tables, corpus)
out = notebook.plots_dir(plots, "20_compare")
pd.set_option("display.max_rows", 200)

# %% [markdown]
# ## What there is to compare

# %%
scope = compare.scope(data)
print(scope["message"].iloc[0])
scope

# %% [markdown]
# ## Frame profiles by outlet
# The share of each outlet's articles in which a frame is present (the calibrated decision of
# the framing analysis). The CSV beside the plot also has each frame's mean score.

# %%
frames = compare.frame_profiles(data)
matrix = compare.pivot(frames, "outlet", "frame", "share_present")
fig, ax = plt.subplots(figsize=(9, 1.6 + 0.4 * max(1, len(matrix))))
compare.plot_matrix(
    matrix,
    ax,
    title="Frames by outlet: share of articles using each frame",
    xlabel="frame",
    ylabel="outlet",
    colorbar="share of the outlet's articles",
)
notebook.save_plot(fig, frames, "frames_by_outlet", out)
plt.show()
matrix.T.round(3)

# %% [markdown]
# ## Actor prominence by outlet
# Each actor's share of an outlet's actor mentions (credits for photos are not counted), and in
# how many of the outlet's articles the actor is named in the headline.

# %%
prominence = compare.actor_prominence(data, top_actors=top_actors)
matrix = compare.pivot(prominence, "name", "outlet", "share_of_mentions")
fig, ax = plt.subplots(figsize=(9, 1.6 + 0.35 * max(1, len(matrix))))
compare.plot_matrix(
    matrix,
    ax,
    title="Who is mentioned: share of each outlet's actor mentions",
    xlabel="outlet",
    ylabel="actor",
    colorbar="share of mentions",
    empty="no actor mentions found",
)
notebook.save_plot(fig, prominence, "actor_prominence_by_outlet", out)
plt.show()
matrix.round(3)

# %% [markdown]
# ## Who gets quoted, by outlet
# Each speaker's share of an outlet's quotes (direct, partial and indirect together; the
# columns give each kind).

# %%
quoted = compare.quote_share(data, top_speakers=top_actors)
matrix = compare.pivot(quoted, "speaker", "outlet", "share_of_quotes")
fig, ax = plt.subplots(figsize=(9, 1.6 + 0.35 * max(1, len(matrix))))
compare.plot_matrix(
    matrix,
    ax,
    title="Who is quoted: share of each outlet's quotes",
    xlabel="outlet",
    ylabel="speaker",
    colorbar="share of quotes",
    empty="no quotes found",
)
notebook.save_plot(fig, quoted, "quote_share_by_outlet", out)
plt.show()
matrix.round(3)

# %% [markdown]
# ## Labels by outlet
# What each outlet calls the actors (from the labels analysis), most frequent first.

# %%
compare.labels_by_outlet(data)

# %% [markdown]
# ## Figures that disagree
# Numbers reported for the same thing in the same time window that cannot all be true at once
# (their intervals do not meet), one group per thing counted; below, every article's figure in
# those groups with who claimed it.

# %%
compare.figure_disagreement_summary(data)

# %%
compare.figure_disagreements(data)
