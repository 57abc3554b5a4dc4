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
# # 02 · Figures
#
# The numbers the articles report: each as an interval with its hedge ("over 300" is
# (300, inf), "some 99%" is 99 approximately, "hundreds of" is at least 200), what it counts,
# and who claims it: a speaker when the number sits in a quote or an attributed statement,
# otherwise the outlet (narrator). Dates, years, names such as "Arrow 3" and other non-figures
# are left out of every count here. Every plot is saved as a PNG with its table beside it as
# a CSV of the same name.

# %% tags=["parameters"]
tables: str = ""  # folder of tables written by `presslab analyze`; empty: analyse `corpus` here
corpus: str = ""  # folder or file of articles (used when `tables` is empty); empty: seeds/
plots: str = ""  # folder for this notebook's PNG + CSV files; empty: outputs/lab/02_figures
top_n: int = 25  # how many claimants the plots show (0: all; the CSV files hold them all)
table_rows: int = 300  # how many rows of the comparison the report shows (the CSV: all)

# %%
import matplotlib.pyplot as plt
import pandas as pd
from presslab import figures, notebook

data = notebook.load_tables(tables, corpus)
out = notebook.plots_dir(plots, "02_figures")
all_numbers = data["figures"]

# %% [markdown]
# ## The figures
# One row per figure: its interval, qualifier, unit, what it counts and who claims it.

# %%
figure_list = figures.figure_list(all_numbers)
figure_list

# %% [markdown]
# ## Figures per article and claimant
# Who supplies the numbers: quoted speakers, speakers of attributed statements, or the outlet.
# The plot shows the `top_n` claimants over the whole corpus (`figures_by_claimant.csv` has
# them all); the table below it (`figures_by_article_and_claimant.csv`) has every article.

# %%
by_claimant = figures.figures_by_claimant(all_numbers)
by_claimant.to_csv(out / "figures_by_article_and_claimant.csv", index=False, lineterminator="\n")
ranking = figures.top_claimants(all_numbers, None)
top = ranking.head(top_n) if top_n > 0 else ranking
fig, ax = plt.subplots(figsize=(7, max(2.5, 0.4 * len(top))))
labels = top["claimed_by"] + " (" + top["claim_kind"] + ")"
ax.barh(labels[::-1], top["n_figures"][::-1], color="#3b6ea8")
ax.set(title="Figures by claimant", xlabel="figures", ylabel="claimant (how)")
notebook.save_plot(fig, ranking, "figures_by_claimant", out)
plt.show()
by_claimant

# %% [markdown]
# ## Hedged versus exact figures, by source
# *exact*: a plain number; *hedged*: "some", "about", "nearly"; *bound*: "over", "at least",
# "up to"; *range*: "10 to 15"; *vague*: "dozens of", "hundreds of".

# %%
hedges = figures.hedges_by_claimant(all_numbers)
shown = hedges.head(top_n) if top_n > 0 else hedges
fig, ax = plt.subplots(figsize=(7, max(2.5, 0.4 * len(shown))))
shown.set_index("claimed_by").drop(columns="n_figures").iloc[::-1].plot.barh(
    stacked=True, ax=ax, colormap="tab10"
)
ax.set(title="How each source states figures", xlabel="figures", ylabel="claimant")
notebook.save_plot(fig, hedges, "hedges_by_claimant", out)
plt.show()

# %% [markdown]
# ## Across articles: the same thing, different figures
# Figures grouped by what they count (the lemma of its head noun) and by a window of article
# dates; `disagrees` marks a figure whose interval shares no value with another article's
# figure of the same kind and unit (approximate figures allowed 10% either way). Rows that
# disagree are highlighted. The report shows the first `table_rows` rows;
# `figure_comparison.csv` has them all.

# %%
comparison = data["figure_comparison"]
comparison.to_csv(out / "figure_comparison.csv", index=False, lineterminator="\n")
print(f"{len(comparison)} rows, {int(comparison['disagrees'].sum())} disagreeing")
if len(comparison):
    display_table = (
        comparison[figures.COMPARISON_VIEW]
        .head(table_rows)
        .style.apply(
            lambda row: ["background-color: #f6d5c8" if row["disagrees"] else ""] * len(row), axis=1
        )
    )
else:
    display_table = pd.DataFrame({"note": ["no two articles count the same thing in one window"]})
display_table
