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
# # 30 · Validating the machine against hand coding
#
# Before publishing a number the machine produced, check it against people. The loop:
#
# 1. **Export** a coding sheet: a stratified random sample (seeded, so it can be drawn again)
#    of sentences to code for their main frame and for the quote they carry (kind and
#    speaker), and of reported numbers to code for their qualifier. The machine's answers are
#    *not* on the sheet, so coders code blind.
# 2. **Code**: each coder fills the `code` (and `speaker`) column of their own copy in a
#    spreadsheet, optionally writes their name in `coder` and a `note`, and saves it as CSV.
# 3. **Read back** the coded sheets (parameter `sheets`): precision and recall of the machine
#    against each coder per category, Krippendorff's α between coders and between coders and
#    machine, and every disagreement with its sentence.
#
# By default the notebook reads the small example shipped with presslab: the seed article
# coded by hand in two passes (see `lib/presslab/data/validation/README.md`). On another
# corpus those items are left out and there is nothing to score until you code your own sheet.

# %% tags=["parameters"]
tables: str = ""  # folder of tables written by `presslab analyze`; empty: analyse `corpus` here
corpus: str = ""  # folder or file of articles (used when `tables` is empty); empty: seeds/
plots: str = ""  # folder for this notebook's PNG + CSV files; empty: outputs/lab/30_validation
sheets: str = ""  # coded sheets: CSV files or folders, comma-separated; empty: shipped example
per_stratum: int = 5  # items per task and machine answer in the exported coding sheet
seed: int = 0  # random seed of the sample (the same seed and tables give the same sheet)
min_weight: float = 1.0  # cue weight a sentence needs before the machine gives it a frame

# %%
import matplotlib.pyplot as plt
import pandas as pd
from presslab import annotate, notebook, validation

data = notebook.load_tables(tables, corpus)
out = notebook.plots_dir(plots, "30_validation")
pd.set_option("display.max_rows", 300)
pd.set_option("display.max_colwidth", 160)

# %% [markdown]
# ## 1 · A coding sheet to fill in
# Written as `coding_sheet.csv` next to this report's plots. How many items of each task, by
# the machine's answer (the strata; not shown to coders):

# %%
items = validation.sample_items(data, per_stratum=per_stratum, seed=seed, min_weight=min_weight)
texts = annotate.find_articles(
    data["articles"], notebook.resolve(corpus or "seeds"), items["article_id"].unique()
)
sheet = validation.coding_sheet(items, texts)
validation.write_sheet(sheet, out / "coding_sheet.csv")
items.groupby(["task", "stratum"]).size().rename("items").reset_index()

# %%
sheet[["item_id", "task", "context", "item", "code", "speaker"]].head(5)

# %% [markdown]
# ## 2 · The coded sheets
# Which sheets were read, how many items each task has, and how many of them belong to
# articles in these tables (only those can be scored). Answers that are not among a task's
# choices are listed after it: fix them in the sheet.

# %%
paths = validation.sheet_paths(sheets)
coded_all = validation.read_sheets(paths)
machine = validation.machine_codes(coded_all, data, min_weight=min_weight)
coded = validation.scored(coded_all, machine)
print(f"{len(paths)} sheet(s): {', '.join(p.name for p in paths)}")
validation.coverage(coded_all, machine)

# %%
validation.invalid_codes(coded_all)

# %% [markdown]
# ## 3 · Precision and recall of the machine
# Per task and category, against each coder: *precision* is the share of the machine's answers
# of that category the coder agrees with, *recall* the share of the coder's answers of that
# category the machine found. `(all)` is plain accuracy. With a few dozen items these are rough
# estimates: `items` and `both` say how many they rest on. `speaker` compares the speaker of
# the quote, where both say there is one ("Gallant" and "Yoav Gallant" match).

# %%
pr = validation.precision_recall(coded, machine)
fig, ax = plt.subplots(figsize=(8, 4))
validation.plot_precision_recall(pr, ax)
notebook.save_plot(fig, pr, "precision_recall", out)
plt.show()
pr.round(3)

# %% [markdown]
# ## 4 · Agreement: Krippendorff's α
# Between the human coders (how reliable the coding itself is), between coders and machine
# together, and between each coder and the machine. α ≥ 0.8 supports firm conclusions, 0.667
# tentative ones (Krippendorff 2004); NaN means α is undefined (fewer than two coders on an
# item, or a single answer throughout).

# %%
alpha = validation.agreement(coded, machine)
fig, ax = plt.subplots(figsize=(8, 3.5))
validation.plot_agreement(alpha, ax)
notebook.save_plot(fig, alpha, "agreement", out)
plt.show()
alpha.round(3)

# %% [markdown]
# ## 5 · Disagreements
# Every item where the coders and the machine do not all agree, with the sentence coded (for
# figures, the number is in `[[ ]]`) and the coders' notes.

# %%
validation.disagreements(coded, machine)
