def my_memberships(request, access):
    """Home card: what the user is, where (every role sees it)."""
    return {"memberships": access.memberships, "is_admin": access.is_admin}
