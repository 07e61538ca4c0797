"""Permission policies for the Wagtail admin views of the competency core."""

from wagtail.permission_policies import ModelPermissionPolicy

READ_ACTIONS = {"view"}


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Lets permitted users list and inspect records, and nobody add, change or delete them.

    Used for the evidence log: even a superuser reads it only, because evidence is append-only.
    """

    def user_has_permission(self, user, action):
        if action not in READ_ACTIONS:
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        readable = [action for action in actions if action in READ_ACTIONS]
        if not readable:
            return super().users_with_any_permission([]).none()
        return super().users_with_any_permission(readable)
