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
# # 04 · Sources: who is quoted
#
# Whose voice the coverage carries. Every statement an article attributes is a row of the
# `quotes` table: **direct** quotes (words in quotation marks), **partial** quotes (a quoted
# phrase inside reported speech) and **indirect** ones (reported speech: "said that", "according
# to", "vowed to"). Each row names its speaker (an actor, an anonymous source, or nobody when no
# attribution was found) and the cue words that attribute it; the cue list is data that
# researchers edit (`lib/presslab/codebook/cues.yaml`).
#
# Below: who is quoted, how often and at what length; the share of quotes by side and by actor
# type; who is mentioned but never quoted; and the anonymous sources. Every plot is saved as a
# PNG with the table it shows beside it as a CSV of the same name.
#
# How well the extraction works is measured on PolNeAR, a corpus of US political news with
# hand-annotated attributions (`make eval`; see `30_validation`).

# %% tags=["parameters"]
tables: str = ""  # folder of tables written by `presslab analyze`; empty: analyse `corpus` here
corpus: str = ""  # folder or file of articles (used when `tables` is empty); empty: seeds/
plots: str = ""  # folder for this notebook's PNG + CSV files; empty: outputs/lab/04_sources
top: int = 15  # how many speakers and actors the plots show

# %%
import matplotlib.pyplot as plt
from presslab import notebook, sources

data = notebook.load_tables(tables, corpus)
out = notebook.plots_dir(plots, "04_sources")
quotes, mentions, actors = data["quotes"], data["mentions"], data["actors"]

# %% [markdown]
# ## Quotes by kind
# How much of the coverage is in the sources' own words (direct), mixed (partial) or
# paraphrased (indirect); words counted inside the quoted or reported text.

# %%
by_kind = sources.source_balance(quotes, actors, by="kind")
fig, ax = plt.subplots(figsize=(7, 2.8))
ax.barh(by_kind["group"], by_kind["n_quotes"], color="#3b6ea8")
ax.set(title="Quotes by kind", xlabel="quotes", ylabel="")
notebook.save_plot(fig, by_kind, "quotes_by_kind", out)
plt.show()
by_kind

# %% [markdown]
# ## Who is quoted
# One row per speaker: quotes of each kind, quoted words, the articles they are quoted in, and
# their share of all quotes and of all quoted words. `anonymous` gathers unnamed sources
# ("officials said"); `unattributed` the quotes no speaker was found for.

# %%
who = sources.who_is_quoted(quotes, actors)
shown = who.head(top).iloc[::-1]
fig, ax = plt.subplots(figsize=(7, max(2.5, 0.32 * len(shown) + 1)))
ax.barh(shown["speaker"].astype(str), shown["n_quotes"], color="#3b6ea8")
ax.set(title="Most quoted speakers", xlabel="quotes", ylabel="")
notebook.save_plot(fig, who.head(top), "who_is_quoted", out)
plt.show()
who

# %% [markdown]
# ## Share of voice by side and by actor type
# Sides and types come from the actors table (the actors codebook); a speaker it does not
# describe is `unknown`.

# %%
by_side = sources.source_balance(quotes, actors, by="side")
fig, ax = plt.subplots(figsize=(7, max(2.5, 0.32 * len(by_side) + 1)))
ax.barh(by_side["group"].iloc[::-1], by_side["share_quotes"].iloc[::-1], color="#3b6ea8")
ax.set(title="Share of quotes by side", xlabel="share of all quotes", ylabel="")
notebook.save_plot(fig, by_side, "quotes_by_side", out)
plt.show()
by_side

# %%
by_type = sources.source_balance(quotes, actors, by="type")
fig, ax = plt.subplots(figsize=(7, max(2.5, 0.32 * len(by_type) + 1)))
ax.barh(by_type["group"].iloc[::-1], by_type["share_quotes"].iloc[::-1], color="#3b6ea8")
ax.set(title="Share of quotes by actor type", xlabel="share of all quotes", ylabel="")
notebook.save_plot(fig, by_type, "quotes_by_type", out)
plt.show()
by_type

# %% [markdown]
# ## Quoted or only mentioned
# Actors the coverage talks about, and whether it lets them speak: mentions (credits excluded)
# against quotes.

# %%
voices = sources.quoted_vs_mentioned(mentions, quotes, actors)
shown = voices.head(top).set_index("name")[["n_mentions", "n_quotes"]].iloc[::-1]
fig, ax = plt.subplots(figsize=(7, max(2.5, 0.4 * len(shown) + 1)))
shown.plot.barh(ax=ax, color=["#c9d6e8", "#3b6ea8"], width=0.8)
ax.set(title="Mentioned and quoted", xlabel="count", ylabel="")
ax.legend(["mentions", "quotes"], loc="lower right")
notebook.save_plot(fig, voices.head(top), "quoted_vs_mentioned", out)
plt.show()
voices

# %% [markdown]
# ## Anonymous sources
# Each statement from an unnamed source, with the words that describe the source.

# %%
sources.anonymous_sources(quotes)

# %% [markdown]
# ## Per article
# The share of each side's voices in every article.

# %%
sources.source_balance(quotes, actors, by="side", per_article=True)

# %% [markdown]
# ## Every quote
# The statements themselves, in the order they appear, with speaker and cue.

# %%
quotes[["article_id", "kind", "speaker", "cue", "text"]]
