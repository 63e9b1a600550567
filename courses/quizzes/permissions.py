"""Who may analyse quizzes: whoever may edit the quiz page.

Trainers and reviewers under the catalogue's page permissions, centre admins everywhere.
Learners have no admin access; HR coordinators have no page permissions: both are refused.
"""

from wagtail.permission_policies.pages import PagePermissionPolicy

from courses.models import QuizPage

ANALYSE = "analyse"


class QuizAnalysisPermissionPolicy(PagePermissionPolicy):
    """Page permissions on quizzes, with "analyse" meaning what "change" means for pages
    (including "add" for the pages one owns)."""

    def __init__(self):
        super().__init__(QuizPage)

    @staticmethod
    def _as_page_actions(actions):
        return {"change" if action == ANALYSE else action for action in actions}

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, self._as_page_actions(actions))

    def users_with_any_permission(self, actions, include_superusers=True):
        return super().users_with_any_permission(
            self._as_page_actions(actions), include_superusers=include_superusers
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return super().user_has_any_permission_for_instance(
            user, self._as_page_actions(actions), instance
        )

    def instances_user_has_any_permission_for(self, user, actions):
        return super().instances_user_has_any_permission_for(user, self._as_page_actions(actions))

    def users_with_any_permission_for_instance(self, actions, instance, include_superusers=True):
        return super().users_with_any_permission_for_instance(
            self._as_page_actions(actions), instance, include_superusers=include_superusers
        )


quiz_analysis_policy = QuizAnalysisPermissionPolicy()
