"""The permission matrix: what every URL answers to every kind of person.

One row per URL name. ``row("…")`` lists the status of a GET for each actor, in this order:

    ano  anonymous visitor
    out  signed in, no membership (an outsider)
    adm  system administrator
    lea  leader of district A (the home district)
    off  command office of the city
    dep  staff of district A's emergency-management bureau
    ins  inspector / grid member of street A
    ent  user of enterprise A (street A)
    grd  guard of enterprise A's gate
    sib  leader of district B (a sibling district)
    oth  user of enterprise A2 (another enterprise in street A)

Objects in URLs are those of ``matrix_world``: each keyword names the world attribute that fills
the URL argument (``pk="hazard"`` → the hazard's primary key). API rows (``api:…``) are requested
with the actor's token, pages with the actor's session.

``post="…"`` gives the status of an empty POST for ano, out, sib and oth (``POST_ACTORS``); the
test also checks that the POST wrote no row. Every URL that answers GET with 405 has one.

Statuses: 200 shown; 302 redirected (the login page for anonymous visitors, or the next step);
401/403 refused; 404 not visible to this person (outsiders never learn an object exists);
405 method not allowed (a POST-only action).

Adding a URL: see docs/development/permissions.md, “The permission matrix”.
"""

from dataclasses import dataclass, field

ACTORS = (
    "anon",
    "outsider",
    "admin",
    "leader",
    "office",
    "dept",
    "inspector",
    "enterprise",
    "guard",
    "sibling",
    "other_ent",
)
POST_ACTORS = ("anon", "outsider", "sibling", "other_ent")


@dataclass(frozen=True)
class Row:
    get: tuple[int, ...]
    post: tuple[int, ...] | None = None
    kwargs: dict = field(default_factory=dict)


def _statuses(text: str, width: int) -> tuple[int, ...]:
    codes = tuple(int(code) for code in text.split())
    if len(codes) != width:
        raise ValueError(f"{text!r}: {len(codes)} statuses, expected {width}")
    return codes


def row(get: str, *, post: str | None = None, **kwargs: str) -> Row:
    return Row(_statuses(get, len(ACTORS)), _statuses(post, len(POST_ACTORS)) if post else None, kwargs)


def format_statuses(codes) -> str:
    return " ".join(str(code) for code in codes)


# URL namespaces left out (but for the rows the table has for them), with the reason.
EXCLUDED = {
    "admin": "Django's admin: every one of its ~140 generated pages is guarded by "
    "AdminSite.has_permission (an active staff member), as its index is; the rows admin:index and "
    "admin:accounts_user_changelist stand for them.",
}

# Shapes that repeat.
# fmt: off
#                  ano out adm lea off dep ins ent grd sib oth
PUBLIC          = "200 200 200 200 200 200 200 200 200 200 200"
SIGNED_IN       = "302 200 200 200 200 200 200 200 200 200 200"  # lists: scoped rows, maybe none
ANY_ROLE        = "302 404 200 200 200 200 200 200 200 200 200"  # shared, city-wide objects
HOME_OBJECT     = "302 404 200 200 200 200 200 200 404 404 404"  # an object of enterprise A
OFFICE_ONLY     = "302 403 200 403 200 403 403 403 403 403 403"
ADMIN_ONLY      = "302 403 200 403 403 403 403 403 403 403 403"
STAFF_SITE      = "302 302 200 302 302 302 302 302 302 302 302"  # Django admin: its own login
ACTION          = "302 405 405 405 405 405 405 405 405 405 405"  # POST only
POST_ONLY       = "405 405 405 405 405 405 405 405 405 405 405"  # POST only, anonymous too
API_LIST        = "403 200 200 200 200 200 200 200 200 200 200"
API_HOME_OBJECT = "403 404 200 200 200 200 200 200 404 404 404"
API_ACTION      = "403 405 405 405 405 405 405 405 405 405 405"
# Empty POSTs:      ano out sib oth
NOT_FOUND       = "302 404 404 404"
API_NOT_FOUND   = "403 404 404 404"
REDIRECTED      = "302 302 302 302"
# fmt: on

# fmt: off
TABLE = {
    #                                           ano out adm lea off dep ins ent grd sib oth
    # --- accounts ----------------------------------------------------------------------------------
    "accounts:login":                       row("200 302 302 302 302 302 302 302 302 302 302"),
    "accounts:logout":                      row(POST_ONLY, post=REDIRECTED),
    "accounts:password_change":             row(SIGNED_IN),
    "accounts:set_language":                row(POST_ONLY, post=REDIRECTED),
    # --- admin -------------------------------------------------------------------------------------
    "admin:accounts_user_changelist":       row(STAFF_SITE),
    "admin:index":                          row(STAFF_SITE),
    # --- appeals -----------------------------------------------------------------------------------
    "appeals:act":                          row(ACTION, post=NOT_FOUND, pk="appeal", name="appeal_transition"),
    "appeals:decide_extension":             row(ACTION, post=NOT_FOUND, pk="appeal"),
    "appeals:detail":                       row(HOME_OBJECT, pk="appeal"),
    "appeals:list":                         row(SIGNED_IN),
    "appeals:raise":                        row(SIGNED_IN),
    "appeals:rate":                         row(ACTION, post=NOT_FOUND, pk="appeal"),
    "appeals:request_extension":            row(ACTION, post=NOT_FOUND, pk="appeal"),
    "appeals:rules":                        row(OFFICE_ONLY),
    "appeals:statistics":                   row("302 403 200 200 200 200 403 403 403 200 403"),
    "appeals:weekly":                       row("302 403 200 200 200 403 403 403 403 200 403"),
    # --- audit -------------------------------------------------------------------------------------
    "audit:object_history":                 row(HOME_OBJECT, app_label="audit_app", model_name="audit_model", pk="enterprise_a"),
    "audit:search":                         row(ADMIN_ONLY),
    # --- checklists --------------------------------------------------------------------------------
    "checklists:create":                    row(OFFICE_ONLY),
    "checklists:detail":                    row(ANY_ROLE, pk="template"),
    "checklists:discard":                   row(ACTION, post="302 404 403 403", pk="template", number="draft_number"),
    "checklists:edit":                      row(ACTION, post="302 404 403 403", pk="template"),
    "checklists:editor_action":             row(
        ACTION,
        post="302 404 403 403",
        pk="template",
        number="draft_number",
        kind="editor_kind",
        obj_id="item",
        action="editor_action",
    ),
    "checklists:export":                    row(ANY_ROLE, pk="template", number="draft_number"),
    "checklists:import":                    row(OFFICE_ONLY),
    "checklists:item_create":               row("302 404 200 403 200 403 403 403 403 403 403", pk="template", number="draft_number"),
    "checklists:item_edit":                 row(
        "302 404 200 403 200 403 403 403 403 403 403", pk="template", number="draft_number", item_id="item"
    ),
    "checklists:list":                      row(SIGNED_IN),
    "checklists:preview":                   row(ANY_ROLE, pk="template", number="draft_number"),
    "checklists:publish":                   row(ACTION, post="302 404 403 403", pk="template", number="draft_number"),
    "checklists:section_create":            row(
        "302 404 200 403 200 403 403 403 403 403 403", pk="template", number="draft_number"
    ),
    "checklists:section_edit":              row(
        "302 404 200 403 200 403 403 403 403 403 403", pk="template", number="draft_number", section_id="section"
    ),
    # --- checkpoints -------------------------------------------------------------------------------
    "checkpoints:access_log":               row(OFFICE_ONLY),
    "checkpoints:alert":                    row("302 404 200 200 200 404 200 200 404 404 404", pk="alert"),
    "checkpoints:alerts":                   row(SIGNED_IN),
    "checkpoints:confirm":                  row(ACTION, post=NOT_FOUND, pk="checkpoint", entry_pk="pending_entry"),
    "checkpoints:detail":                   row("302 404 200 200 200 404 200 200 200 404 404", pk="checkpoint"),
    "checkpoints:entries":                  row(SIGNED_IN),
    "checkpoints:guard":                    row("302 404 200 403 403 404 403 403 200 404 404", pk="checkpoint"),
    "checkpoints:guard_home":               row("302 200 200 200 200 200 200 200 302 200 200"),
    "checkpoints:key_person_lists":         row(SIGNED_IN),
    "checkpoints:list":                     row(SIGNED_IN),
    "checkpoints:poster":                   row("302 404 200 200 200 404 200 200 200 404 404", pk="checkpoint"),
    "checkpoints:self_register":            row(PUBLIC, token="checkpoint_token"),
    "checkpoints:verification":             row("302 404 200 200 200 404 200 404 404 404 404", pk="verification"),
    "checkpoints:verifications":            row(SIGNED_IN),
    # --- core --------------------------------------------------------------------------------------
    "core:home":                            row(SIGNED_IN),
    # --- dashboards --------------------------------------------------------------------------------
    "dashboards:bulletin":                  row("302 404 200 200 200 200 404 404 404 404 404", pk="bulletin"),
    "dashboards:bulletin_file":             row("302 404 200 200 200 200 404 404 404 404 404", pk="bulletin", fmt="bulletin_fmt"),
    "dashboards:bulletin_request":          row(ACTION, post="302 403 404 403"),
    "dashboards:bulletins":                 row("302 403 200 200 200 200 200 403 403 200 403"),
    "dashboards:dashboard":                 row("302 403 200 200 200 200 200 403 403 200 403"),
    "dashboards:map":                       row("302 403 200 200 200 200 404 403 403 404 403", pk="district_a"),
    "dashboards:node":                      row("302 403 200 200 200 200 404 403 403 404 403", pk="district_a"),
    "dashboards:subscribe":                 row(ACTION, post="302 403 404 403"),
    # --- departments -------------------------------------------------------------------------------
    "departments:create":                   row(OFFICE_ONLY),
    "departments:detail":                   row("302 404 200 200 200 200 200 404 404 404 404", pk="department_a"),
    "departments:edit":                     row("302 404 200 403 200 403 403 404 404 404 404", pk="department_a"),
    "departments:list":                     row(SIGNED_IN),
    # --- enterprises -------------------------------------------------------------------------------
    "enterprises:assign":                   row("302 404 200 403 200 403 403 403 404 404 404", pk="enterprise_a"),
    "enterprises:assignment_end":           row(ACTION, post=NOT_FOUND, pk="assignment"),
    "enterprises:bulk_assign":              row(OFFICE_ONLY),
    "enterprises:create":                   row(OFFICE_ONLY),
    "enterprises:detail":                   row(HOME_OBJECT, pk="enterprise_a"),
    "enterprises:edit":                     row("302 404 200 403 200 403 403 403 404 404 404", pk="enterprise_a"),
    "enterprises:import":                   row(OFFICE_ONLY),
    "enterprises:import_confirm":           row(ACTION, post=NOT_FOUND, job_id="job"),
    "enterprises:import_template":          row(SIGNED_IN),
    "enterprises:list":                     row(SIGNED_IN),
    "enterprises:map":                      row(SIGNED_IN),
    "enterprises:map_points":               row(SIGNED_IN),
    "enterprises:official":                 row("302 404 200 200 200 200 200 404 404 404 404", user_id="inspector"),
    "enterprises:tab":                      row(HOME_OBJECT, pk="enterprise_a", key="tab_key"),
    # --- hazards -----------------------------------------------------------------------------------
    "hazards:act":                          row(ACTION, post=NOT_FOUND, pk="hazard", name="hazard_transition"),
    "hazards:decide_extension":             row(ACTION, post=NOT_FOUND, pk="hazard", extension_pk="extension"),
    "hazards:detail":                       row(HOME_OBJECT, pk="hazard"),
    "hazards:from_finding":                 row(ACTION, post="302 403 403 403", finding_pk="finding"),
    "hazards:ledger":                       row(SIGNED_IN),
    "hazards:listing":                      row(ACTION, post=NOT_FOUND, pk="hazard"),
    "hazards:plan":                         row(ACTION, post=NOT_FOUND, pk="hazard"),
    "hazards:public_report":                row(PUBLIC),
    "hazards:report":                       row(SIGNED_IN),
    "hazards:request_extension":            row(ACTION, post=NOT_FOUND, pk="hazard"),
    # --- inspections -------------------------------------------------------------------------------
    "inspections:answer":                   row(ACTION, post=NOT_FOUND, pk="inspection"),
    "inspections:calendar":                 row(SIGNED_IN),
    "inspections:cancel":                   row(ACTION, post=NOT_FOUND, pk="inspection"),
    "inspections:conduct":                  row("302 404 200 403 403 403 200 403 404 404 404", pk="inspection"),
    "inspections:create":                   row("302 403 200 200 200 403 403 403 403 200 403"),
    "inspections:detail":                   row(HOME_OBJECT, pk="inspection"),
    "inspections:due":                      row(SIGNED_IN),
    "inspections:list":                     row(SIGNED_IN),
    "inspections:photo":                    row(ACTION, post=NOT_FOUND, pk="inspection"),
    "inspections:photo_file":               row(HOME_OBJECT, pk="photo"),
    "inspections:record":                   row(ACTION, post=NOT_FOUND, pk="inspection"),
    "inspections:sign_off":                 row(ACTION, post=NOT_FOUND, pk="inspection"),
    "inspections:start_self":               row(ACTION, post="302 403 403 404"),
    "inspections:submit":                   row(ACTION, post=NOT_FOUND, pk="inspection"),
    # --- jobs --------------------------------------------------------------------------------------
    "jobs:detail":                          row("302 404 200 404 200 404 404 404 404 404 404", pk="job"),
    "jobs:download":                        row("302 404 200 404 200 404 404 404 404 404 404", pk="job"),
    "jobs:list":                            row(SIGNED_IN),
    # --- jurisdictions -----------------------------------------------------------------------------
    "jurisdictions:detail":                 row("302 404 200 200 200 200 200 404 404 404 404", pk="street_a"),
    "jurisdictions:list":                   row(SIGNED_IN),
    # --- notifications -----------------------------------------------------------------------------
    "notifications:inbox":                  row(SIGNED_IN),
    "notifications:mark_all_read":          row(ACTION, post=REDIRECTED),
    "notifications:open":                   row("302 404 404 404 404 404 302 404 404 404 404", pk="notification"),
    # --- project -----------------------------------------------------------------------------------
    "api-docs":                             row(PUBLIC),
    "api-schema":                           row(PUBLIC),
    "healthz":                              row(PUBLIC),
    "readyz":                               row(PUBLIC),
    # --- reporting ---------------------------------------------------------------------------------
    "reporting:detail":                     row(HOME_OBJECT, pk="daily_report"),
    "reporting:difficulties":               row(SIGNED_IN),
    "reporting:materials":                  row(SIGNED_IN),
    "reporting:repeat":                     row(ACTION, post=NOT_FOUND, pk="enterprise_a"),
    "reporting:submit":                     row("302 404 200 403 200 403 403 200 404 404 404", pk="enterprise_a"),
    "reporting:today":                      row("302 403 200 200 200 200 200 302 403 200 302"),
    "reporting:tracking":                   row("302 403 200 200 200 200 200 403 403 200 403"),
    # --- spotchecks --------------------------------------------------------------------------------
    "spotchecks:create":                    row(OFFICE_ONLY),
    "spotchecks:detail":                    row("302 404 200 200 200 200 404 404 404 404 404", pk="plan"),
    "spotchecks:draw":                      row(ACTION, post=NOT_FOUND, pk="plan"),
    "spotchecks:draw_record":               row("302 404 200 200 200 200 404 404 404 404 404", pk="plan"),
    "spotchecks:libraries":                 row(SIGNED_IN),
    "spotchecks:list":                      row(SIGNED_IN),
    "spotchecks:public":                    row(PUBLIC),
    "spotchecks:publish":                   row(ACTION, post=NOT_FOUND, pk="plan"),
    "spotchecks:result":                    row(ACTION, post=NOT_FOUND, pk="plan", target_id="target"),
    # --- tasks -------------------------------------------------------------------------------------
    "tasks:act":                            row(ACTION, post=NOT_FOUND, pk="task_assignment", name="task_transition"),
    "tasks:decompose":                      row("302 404 200 200 200 200 404 404 404 404 404", parent_pk="task"),
    "tasks:deploy":                         row("302 403 200 200 200 403 403 403 403 200 403"),
    "tasks:detail":                         row("302 404 200 200 200 200 404 404 404 404 404", pk="task"),
    "tasks:list":                           row(SIGNED_IN),
    # --- visits ------------------------------------------------------------------------------------
    "visits:all_tasks":                     row(ACTION, post=NOT_FOUND, pk="visit"),
    "visits:batch":                         row("302 403 404 200 404 403 403 403 403 404 403", key="batch_key"),
    "visits:coverage":                      row(SIGNED_IN),
    "visits:detail":                        row(HOME_OBJECT, pk="visit"),
    "visits:difficulty_appeal":             row(ACTION, post=NOT_FOUND, pk="visit", index="difficulty_index"),
    "visits:discard":                       row(ACTION, post="302 403 404 403", key="draft_key"),
    "visits:import":                        row("302 403 200 200 200 403 403 403 403 200 403"),
    "visits:list":                          row(SIGNED_IN),
    "visits:requirement_task":              row(ACTION, post=NOT_FOUND, pk="visit", rid="requirement"),
    "visits:review":                        row("302 403 404 200 404 403 403 403 403 404 403", key="draft_key"),
    "visits:rule_create":                   row(OFFICE_ONLY),
    "visits:rule_edit":                     row("302 404 200 403 200 403 403 404 404 404 404", pk="coverage_rule"),
    # --- api ---------------------------------------------------------------------------------------
    "api:api-root":                         row(API_LIST),
    "api:appeal-detail":                    row(API_HOME_OBJECT, pk="appeal"),
    "api:appeal-list":                      row(API_LIST),
    "api:appeal-rate":                      row(API_ACTION, post=API_NOT_FOUND, pk="appeal"),
    "api:appeal-transition":                row(API_ACTION, post=API_NOT_FOUND, pk="appeal", name="appeal_transition"),
    "api:assignment-detail":                row(API_HOME_OBJECT, pk="assignment"),
    "api:assignment-list":                  row(API_LIST),
    "api:attachment":                       row(API_HOME_OBJECT, pk="attachment"),
    "api:bulletin-detail":                  row("403 404 200 200 200 200 404 404 404 404 404", pk="bulletin"),
    "api:bulletin-download":                row("403 404 200 200 200 200 404 404 404 404 404", pk="bulletin"),
    "api:bulletin-list":                    row(API_LIST),
    "api:checklist-template-detail":        row("403 404 200 200 200 200 200 200 200 200 200", pk="template"),
    "api:checklist-template-export":        row("403 404 200 200 200 200 200 200 200 200 200", pk="template"),
    "api:checklist-template-import-json":   row(API_ACTION, post="403 403 403 403"),
    "api:checklist-template-list":          row(API_LIST),
    "api:checkpoint-alert-detail":          row("403 404 200 200 200 404 200 200 404 404 404", pk="alert"),
    "api:checkpoint-alert-follow-up":       row(API_ACTION, post=API_NOT_FOUND, pk="alert"),
    "api:checkpoint-alert-list":            row(API_LIST),
    "api:checkpoint-detail":                row("403 404 200 200 200 404 200 200 200 404 404", pk="checkpoint"),
    "api:checkpoint-entries":               row("403 404 200 200 200 404 200 200 200 404 404", pk="checkpoint"),
    "api:checkpoint-list":                  row(API_LIST),
    "api:checkpoint-returning":             row(API_ACTION, post=API_NOT_FOUND, pk="checkpoint"),
    "api:daily-report-detail":              row(API_HOME_OBJECT, pk="daily_report"),
    "api:daily-report-list":                row(API_LIST),
    "api:department-detail":                row("403 404 200 200 200 200 200 404 404 404 404", pk="department_a"),
    "api:department-list":                  row(API_LIST),
    "api:enterprise-detail":                row(API_HOME_OBJECT, pk="enterprise_a"),
    "api:enterprise-list":                  row(API_LIST),
    "api:hazard-detail":                    row(API_HOME_OBJECT, pk="hazard"),
    "api:hazard-list":                      row(API_LIST),
    "api:hazard-timeline":                  row(API_HOME_OBJECT, pk="hazard"),
    "api:hazard-transition":                row(API_ACTION, post=API_NOT_FOUND, pk="hazard", name="hazard_transition"),
    "api:inspection-answers":               row(API_HOME_OBJECT, pk="inspection"),
    "api:inspection-detail":                row(API_HOME_OBJECT, pk="inspection"),
    "api:inspection-list":                  row(API_LIST),
    "api:inspection-photos":                row(API_ACTION, post=API_NOT_FOUND, pk="inspection"),
    "api:inspection-record":                row(API_ACTION, post=API_NOT_FOUND, pk="inspection"),
    "api:inspection-sign-off":              row(API_ACTION, post=API_NOT_FOUND, pk="inspection"),
    "api:inspection-submit":                row(API_ACTION, post=API_NOT_FOUND, pk="inspection"),
    "api:jurisdiction-detail":              row("403 404 200 200 200 200 200 404 404 404 404", pk="street_a"),
    "api:jurisdiction-list":                row(API_LIST),
    "api:key-person-list-detail":           row("403 404 200 200 200 404 404 404 404 200 404", pk="key_list"),
    "api:key-person-list-list":             row(API_LIST),
    "api:key-person-verification-detail":   row("403 404 200 200 200 404 200 404 404 404 404", pk="verification"),
    "api:key-person-verification-list":     row(API_LIST),
    "api:key-person-verification-verify":   row(API_ACTION, post=API_NOT_FOUND, pk="verification"),
    "api:material-report-detail":           row(API_HOME_OBJECT, pk="material_report"),
    "api:material-report-list":             row(API_LIST),
    "api:me":                               row(API_LIST),
    "api:spot-check-plan-detail":           row("403 404 200 200 200 200 404 404 404 404 404", pk="plan"),
    "api:spot-check-plan-draw":             row(API_ACTION, post=API_NOT_FOUND, pk="plan"),
    "api:spot-check-plan-list":             row(API_LIST),
    "api:spot-check-plan-verify":           row("403 404 200 200 200 200 404 404 404 404 404", pk="plan"),
    "api:stats-resumption":                 row("403 403 200 200 200 200 200 403 403 200 403"),
    "api:task-assignment-detail":           row("403 404 200 200 200 200 404 404 404 404 404", pk="task_assignment"),
    "api:task-assignment-list":             row(API_LIST),
    "api:task-assignment-transition":       row(API_ACTION, post=API_NOT_FOUND, pk="task_assignment", name="task_transition"),
    "api:task-detail":                      row("403 404 200 200 200 200 404 404 404 404 404", pk="task"),
    "api:task-list":                        row(API_LIST),
    "api:user-detail":                      row("403 404 200 200 200 200 200 404 404 404 404", pk="inspector"),
    "api:user-list":                        row(API_LIST),
    "api:visit-detail":                     row(API_HOME_OBJECT, pk="visit"),
    "api:visit-extract":                    row("403 403 405 405 405 403 403 403 403 405 403", post="403 403 422 403"),
    "api:visit-list":                       row(API_LIST),
    "api:visit-task":                       row(API_ACTION, post=API_NOT_FOUND, pk="visit", rid="requirement"),
}
# fmt: on
