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
# # 00 · The corpus
#
# What the analysis is based on: how many articles, from which outlets and dates, how long they
# are, and which files could not be read. Every plot below is saved as a PNG with the table it
# shows beside it as a CSV of the same name.

# %% tags=["parameters"]
tables: str = ""  # folder of tables written by `presslab analyze`; empty: analyse `corpus` here
corpus: str = ""  # folder or file of articles (used when `tables` is empty); empty: seeds/
plots: str = ""  # folder for this notebook's PNG + CSV files; empty: outputs/lab/00_corpus

# %%
import matplotlib.pyplot as plt
import pandas as pd
from presslab import notebook, overview

data = notebook.load_tables(tables, corpus)
out = notebook.plots_dir(plots, "00_corpus")
articles = data["articles"]

# %% [markdown]
# ## At a glance

# %%
summary = overview.corpus_summary(data)
summary

# %% [markdown]
# ## The articles
# One row per article: its headline, byline, date, outlet and length. Dates and bylines are
# read from the article's layout when the corpus does not supply them.

# %%
overview.article_list(data)

# %% [markdown]
# ## Length
# Words in the body (headline, captions, bylines and trailing boilerplate are not counted) and
# sentences in the whole text.

# %%
lengths = overview.lengths(data)
fig, ax = plt.subplots(figsize=(7, 3.2))
ax.hist(lengths["n_words"], bins=min(30, max(5, len(lengths))), color="#3b6ea8")
ax.set(title="Article length", xlabel="words in the body", ylabel="articles")
notebook.save_plot(fig, lengths, "length_words", out)
plt.show()

# %% [markdown]
# ## Dates and outlets

# %%
by_date = overview.articles_by_date(data)
fig, ax = plt.subplots(figsize=(7, 3.2))
if len(by_date):
    ax.bar(by_date["date"].astype(str), by_date["n_articles"], color="#3b6ea8")
    ax.tick_params(axis="x", rotation=45)
else:
    ax.text(0.5, 0.5, "no article has a date", ha="center", va="center")
ax.set(title="Articles by date", xlabel="date", ylabel="articles")
notebook.save_plot(fig, by_date, "articles_by_date", out)
plt.show()

# %%
by_outlet = overview.articles_by_outlet(data)
fig, ax = plt.subplots(figsize=(7, 3.2))
ax.barh(by_outlet["outlet"].astype(str), by_outlet["n_articles"], color="#3b6ea8")
ax.set(title="Articles by outlet", xlabel="articles", ylabel="outlet (byline when no outlet)")
notebook.save_plot(fig, by_outlet, "articles_by_outlet", out)
plt.show()

# %% [markdown]
# ## Sentences and layout parts
# How many sentences each layout part holds across the corpus: the body is what the analyses
# count; headlines and deks are where an article frames its story.

# %%
parts = overview.sentences_by_part(data)
fig, ax = plt.subplots(figsize=(7, 3.2))
ax.bar(parts["part"], parts["n_sentences"], color="#3b6ea8")
ax.set(title="Sentences by layout part", xlabel="layout part", ylabel="sentences")
notebook.save_plot(fig, parts, "sentences_by_part", out)
plt.show()

# %% [markdown]
# ## Files that could not be read
# Each failed file is listed with the reason; the other articles were analysed.

# %%
errors = data["errors"]
errors if len(errors) else pd.DataFrame({"file": [], "reason": []})
