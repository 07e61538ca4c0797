"""Item statistics: pure functions over DataFrames, and the score distribution chart.

- Facility index: the mean score on the item (0..1); the share of the credit people earned.
- Discrimination index: the correlation between the item score and the score on the rest of
  the attempt (the attempt's other questions), over the attempts that were given the item.
  Below 0.2 the item separates stronger from weaker candidates badly and is flagged; a negative
  value means stronger candidates did worse on it.
"""

from __future__ import annotations

import math

import pandas as pd
from matplotlib.figure import Figure

from .scoring import normalise_text

FLAG_BELOW = 0.2
ITEM_COLUMNS = ["attempt_id", "question_id", "score", "response"]


def item_frame(rows: list[tuple]) -> pd.DataFrame:
    """``(attempt_id, question_id, score, response)`` rows of submitted attempts as a frame."""
    frame = pd.DataFrame(rows, columns=ITEM_COLUMNS)
    frame["score"] = frame["score"].astype(float)
    return frame


def item_statistics(frame: pd.DataFrame) -> pd.DataFrame:
    """Per question: attempts, facility, discrimination and whether it is flagged."""
    columns = ["question_id", "attempts", "facility", "discrimination", "flagged"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    totals = frame.groupby("attempt_id")["score"].agg(["sum", "count"])
    data = frame.join(totals, on="attempt_id")
    others = data["count"] - 1
    data["rest"] = (data["sum"] - data["score"]).where(others > 0) / others.where(others > 0)
    out = []
    for question_id, group in data.groupby("question_id", sort=True):
        facility = float(group["score"].mean())
        discrimination = _correlation(group["score"], group["rest"])
        out.append(
            {
                "question_id": question_id,
                "attempts": len(group),
                "facility": facility,
                "discrimination": discrimination,
                "flagged": discrimination is not None and discrimination < FLAG_BELOW,
            }
        )
    return pd.DataFrame(out, columns=columns)


def _correlation(item: pd.Series, rest: pd.Series) -> float | None:
    pairs = pd.DataFrame({"item": item, "rest": rest}).dropna()
    if len(pairs) < 2 or pairs["item"].std() == 0 or pairs["rest"].std() == 0:
        return None
    value = float(pairs["item"].corr(pairs["rest"]))
    return None if math.isnan(value) else value


def option_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """How often each option was chosen: ``question_id, choice_id, chosen, share``."""
    records = []
    for question_id, response in zip(frame["question_id"], frame["response"], strict=True):
        response = response or {}
        chosen = [response["choice"]] if "choice" in response else response.get("choices", [])
        for choice_id in chosen:
            records.append((question_id, choice_id))
    counts = pd.DataFrame(records, columns=["question_id", "choice_id"])
    if counts.empty:
        return pd.DataFrame(columns=["question_id", "choice_id", "chosen", "share"])
    table = counts.groupby(["question_id", "choice_id"]).size().rename("chosen").reset_index()
    given = frame.groupby("question_id").size().rename("given")
    table = table.join(given, on="question_id")
    table["share"] = table["chosen"] / table["given"]
    return table.drop(columns="given")


def score_distribution_figure(
    scores: list[float], *, title: str, xlabel: str, ylabel: str, font: str
) -> Figure:
    """A histogram of attempt scores in ten-point bands."""
    figure = Figure(figsize=(7, 3.6), dpi=100)
    axes = figure.subplots()
    axes.hist(scores, bins=list(range(0, 101, 10)), color="#1f4e79", edgecolor="white")
    axes.set_xlim(0, 100)
    axes.set_title(title, fontfamily=font, fontsize=13)
    axes.set_xlabel(xlabel, fontfamily=font, fontsize=11)
    axes.set_ylabel(ylabel, fontfamily=font, fontsize=11)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return figure


def text_answer_counts(frame: pd.DataFrame, *, limit: int = 3) -> pd.DataFrame:
    """The most frequent typed answers (short text, numeric) per question, after normalisation."""
    records = [
        (question_id, normalise_text(response["text"]))
        for question_id, response in zip(frame["question_id"], frame["response"], strict=True)
        if response and response.get("text")
    ]
    answers = pd.DataFrame(records, columns=["question_id", "answer"])
    if answers.empty:
        return pd.DataFrame(columns=["question_id", "answer", "count"])
    table = answers.groupby(["question_id", "answer"]).size().rename("count").reset_index()
    table = table.sort_values(["question_id", "count", "answer"], ascending=[True, False, True])
    return table.groupby("question_id").head(limit).reset_index(drop=True)
