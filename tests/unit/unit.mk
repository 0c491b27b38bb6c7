# tests/unit: owned by its part (placeholder until it lands)
