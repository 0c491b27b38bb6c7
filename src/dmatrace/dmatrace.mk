include src/dmatrace/view/view.mk
# src/dmatrace: owned by its part (placeholder until it lands)
