"""The shape of an assessment row in the API (docs/api.md "Street/town assessment")."""


def assessment_row(row):
    """``{"unit", "name", "year", "score", "rank", "parts": [...]}``: numbers are JSON numbers (exact Decimals
    with two places for points, four for effective weights as fractions)."""
    return {
        "unit": row.unit.code,
        "name": row.unit.name,
        "year": row.year,
        "score": row.score,
        "rank": row.rank,
        "parts": [
            {
                "key": p.key,
                "label": str(p.label),
                "weight": p.weight,
                "measured": p.measured,
                "score": p.score,
                "effective_weight": p.effective_weight,
                "contribution": p.contribution,
                "explanation": p.explanation,
                "link": p.link,
                "measured_at": p.measured_at.isoformat() if p.measured_at else None,
            }
            for p in row.parts
        ],
    }
