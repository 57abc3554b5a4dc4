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
# # 10 · One article, annotated
#
# The article's own text with everything the analysis found in it marked where it was found:
# actor mentions, quotes (with the verb that introduces them), figures (the numbers the article
# reports) and frame cues. The layout parts — headline, photo caption, standfirst, byline, body,
# boilerplate — are shown as labelled blocks. Hover over a mark for its details, or click it to
# see every mark at that spot in the panel on the right; the legend switches kinds on and off.
# The article's actors, quotes, figures and frames are listed beside the text and in full below.
#
# `presslab run` renders this notebook once per article (for a large corpus, a seeded sample or
# the ids given with `--articles`).

# %% tags=["parameters"]
tables: str = ""  # folder of tables written by `presslab analyze`; empty: analyse `corpus` here
corpus: str = ""  # folder or file of articles (used when `tables` is empty); empty: seeds/
plots: str = ""  # folder for this notebook's PNG + CSV files; empty: outputs/lab/10_article
article_id: str = ""  # the article to show (a string); empty: the first article of the corpus

# %%
import matplotlib.pyplot as plt
import pandas as pd
from presslab import annotate, notebook

data = notebook.load_tables(tables, corpus)
out = notebook.plots_dir(plots, "10_article")
article_id = article_id or str(data["articles"]["article_id"].iloc[0])
article = annotate.find_article(data["articles"], notebook.resolve(corpus or "seeds"), article_id)

# %% [markdown]
# ## The article, marked up

# %%
annotate.ArticleView(article, data)

# %% [markdown]
# ## What was found, sentence by sentence
# How many marks of each kind fall in each sentence of the article, in reading order: where the
# article quotes, counts and frames.

# %%
profile = annotate.sentence_profile(article, data)
fig, ax = plt.subplots(figsize=(8, 3.2))
annotate.plot_profile(profile, ax)
notebook.save_plot(fig, profile, "marks_per_sentence", out)
plt.show()

# %% [markdown]
# ## Every mark
# One row per mark, in text order: where it is (`start`, `end` are character offsets into the
# article's text), what it covers and what was found.

# %%
pd.set_option("display.max_rows", 2000)
pd.set_option("display.max_colwidth", 200)
annotate.article_marks(article, data)
