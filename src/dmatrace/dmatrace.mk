# src/dmatrace: owned by its part (placeholder until it lands)
