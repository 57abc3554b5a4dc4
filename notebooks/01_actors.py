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
# # 01 · Actors
#
# Who appears in the coverage, how often and how prominently, in what role and on whose side.
# Actors are found by presslab's own named-entity model (trained on CoNLL-2003; its score is in
# `make eval`), merged within each article ("Israeli Defense Minister Yoav Gallant", "Gallant",
# "the defense minister", "he") and across articles by full name, and named, typed and sided by
# the codebook `lib/presslab/codebook/actors.yaml` where it has an entry. Photo credits and
# bylines are recorded as mentions of kind `credit` but never counted as actors. Every plot is
# saved as a PNG with its table beside it as a CSV of the same name.

# %% tags=["parameters"]
tables: str = ""  # folder of tables written by `presslab analyze`; empty: analyse `corpus` here
corpus: str = ""  # folder or file of articles (used when `tables` is empty); empty: seeds/
plots: str = ""  # folder for this notebook's PNG + CSV files; empty: outputs/lab/01_actors
top_n: int = 15  # how many actors the rankings and the network show
min_mentions: int = 1  # leave out actors mentioned fewer times than this

# %%
import matplotlib.pyplot as plt
from presslab import actors as act
from presslab import notebook

data = notebook.load_tables(tables, corpus)
out = notebook.plots_dir(plots, "01_actors")
actors, mentions = data["actors"], data["mentions"]
colors = {"person": "#3b6ea8", "place": "#6aa84f", "organisation": "#e69138", "group": "#a64d79"}

# %% [markdown]
# ## The actors
# One row per actor: canonical name, type, the role and affiliation the articles give (or the
# codebook's), the side from the codebook, and how often and where it is mentioned.

# %%
act.top_actors(actors, "n_mentions", len(actors), min_mentions)

# %% [markdown]
# ## Most mentioned
# Mentions count every name, title ("the defense minister"), resolved pronoun, label ("the
# Jewish state") and metonym ("Tehran" acting for Iran).

# %%
top = act.top_actors(actors, "n_mentions", top_n, min_mentions)
fig, ax = plt.subplots(figsize=(7, max(2.5, 0.35 * len(top))))
ax.barh(top["name"][::-1], top["n_mentions"][::-1], color=top["type"][::-1].map(colors))
ax.set(title="Actors by mentions", xlabel="mentions", ylabel="actor (colour: type)")
notebook.save_plot(fig, top, "actors_by_mentions", out)
plt.show()

# %%
top_art = act.top_actors(actors, "n_articles", top_n, min_mentions)
fig, ax = plt.subplots(figsize=(7, max(2.5, 0.35 * len(top_art))))
ax.barh(top_art["name"][::-1], top_art["n_articles"][::-1], color="#3b6ea8")
ax.set(title="Actors by articles", xlabel="articles mentioning the actor", ylabel="actor")
notebook.save_plot(fig, top_art, "actors_by_articles", out)
plt.show()

# %% [markdown]
# ## By type, affiliation and side

# %%
by_type = act.actors_by(actors, "type", min_mentions)
fig, ax = plt.subplots(figsize=(7, 2.8))
ax.bar(by_type["type"], by_type["n_mentions"], color=by_type["type"].map(colors))
ax.set(title="Mentions by actor type", xlabel="type", ylabel="mentions")
notebook.save_plot(fig, by_type, "mentions_by_type", out)
plt.show()

# %%
by_aff = act.actors_by(actors, "affiliation", min_mentions).head(top_n)
fig, ax = plt.subplots(figsize=(7, max(2.5, 0.35 * len(by_aff))))
ax.barh(by_aff["affiliation"][::-1], by_aff["n_mentions"][::-1], color="#3b6ea8")
ax.set(title="Mentions by affiliation", xlabel="mentions", ylabel="affiliation")
notebook.save_plot(fig, by_aff, "mentions_by_affiliation", out)
plt.show()

# %%
by_side = act.actors_by(actors, "side", min_mentions)
fig, ax = plt.subplots(figsize=(7, max(2.2, 0.4 * len(by_side))))
ax.barh(by_side["side"][::-1], by_side["n_mentions"][::-1], color="#3b6ea8")
ax.set(title="Mentions by side (codebook)", xlabel="mentions", ylabel="side")
notebook.save_plot(fig, by_side, "mentions_by_side", out)
plt.show()

# %% [markdown]
# ## How actors are named
# Kinds of mention: names, titles, resolved pronouns, labels, metonyms and credits.

# %%
kinds = act.mentions_by_kind(mentions)
fig, ax = plt.subplots(figsize=(7, 2.8))
ax.bar(kinds["kind"], kinds["n_mentions"], color="#3b6ea8")
ax.set(title="Mentions by kind", xlabel="kind", ylabel="mentions")
notebook.save_plot(fig, kinds, "mentions_by_kind", out)
plt.show()

# %% [markdown]
# ## Prominence
# In how many articles each top actor is in the headline and in the first paragraph of the
# body, and the earliest offset of a first mention.

# %%
prom = act.prominence(actors, top_n, min_mentions)
fig, ax = plt.subplots(figsize=(7, max(2.5, 0.35 * len(prom))))
ax.barh(
    prom["name"][::-1], prom["in_first_paragraph"][::-1], color="#9fc5e8", label="first paragraph"
)
ax.barh(prom["name"][::-1], prom["in_headline"][::-1], color="#3b6ea8", label="headline")
ax.set(title="Prominence", xlabel="articles", ylabel="actor")
ax.legend(loc="lower right")
notebook.save_plot(fig, prom, "prominence", out)
plt.show()

# %% [markdown]
# ## Who appears with whom
# Actors named in the same sentence, drawn as a network (networkx, seeded layout): node size
# follows mentions, line width the number of shared sentences. The edge table is saved beside
# the plot.

# %%
edges = act.cooccurrence(mentions, act.top_actors(actors, "n_mentions", top_n, min_mentions))
graph = act.network(edges, actors)
fig, ax = plt.subplots(figsize=(8, 6))
if len(graph):
    act.draw_network(graph, ax, colors)
else:
    ax.text(0.5, 0.5, "no two actors share a sentence", ha="center", va="center")
ax.set(title="Co-occurrence network (same sentence)")
ax.axis("off")
notebook.save_plot(fig, edges, "cooccurrence_network", out)
plt.show()

# %%
edges
