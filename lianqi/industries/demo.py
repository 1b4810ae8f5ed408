from .loader import ensure_loaded


def seed(context):
    loaded = ensure_loaded()
    if loaded:
        context.log(f"Industries: loaded {loaded} codes of GB/T 4754-2017.")
