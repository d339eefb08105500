import { Module } from '@nestjs/common';
import { CommandRunner } from '@tasking/application';
import { AddSubjectController } from './add-subject/add-subject.http.controller';
import { AddSubjectHandler } from './add-subject/add-subject.handler';
import { EraseSubjectController } from './erase-subject/erase-subject.http.controller';
import { EraseSubjectHandler } from './erase-subject/erase-subject.handler';
import { AmendProblemController } from './amend-problem/amend-problem.http.controller';
import { AmendProblemHandler } from './amend-problem/amend-problem.handler';
import { AnalyseProblemController } from './analyse-problem/analyse-problem.http.controller';
import { AnalyseProblemHandler } from './analyse-problem/analyse-problem.handler';
import { AssignActionController } from './assign-action/assign-action.http.controller';
import { AssignActionHandler } from './assign-action/assign-action.handler';
import { CancelActionController } from './cancel-action/cancel-action.http.controller';
import { CancelActionHandler } from './cancel-action/cancel-action.handler';
import { ChangeActionDueDateController } from './change-action-due-date/change-action-due-date.http.controller';
import { ChangeActionDueDateHandler } from './change-action-due-date/change-action-due-date.handler';
import { ClaimActionController } from './claim-action/claim-action.http.controller';
import { ClaimActionHandler } from './claim-action/claim-action.handler';
import { CloseMeetingController } from './close-meeting/close-meeting.http.controller';
import { CloseMeetingHandler } from './close-meeting/close-meeting.handler';
import { CloseProblemController } from './close-problem/close-problem.http.controller';
import { CloseProblemHandler } from './close-problem/close-problem.handler';
import { DeactivateAgencyController } from './deactivate-agency/deactivate-agency.http.controller';
import { DeactivateAgencyHandler } from './deactivate-agency/deactivate-agency.handler';
import { DeclineActionController } from './decline-action/decline-action.http.controller';
import { DeclineActionHandler } from './decline-action/decline-action.handler';
import { DischargeActionController } from './discharge-action/discharge-action.http.controller';
import { DischargeActionHandler } from './discharge-action/discharge-action.handler';
import { PrioritiseProblemController } from './prioritise-problem/prioritise-problem.http.controller';
import { PrioritiseProblemHandler } from './prioritise-problem/prioritise-problem.handler';
import { PutAreaController } from './put-area/put-area.http.controller';
import { PutAreaHandler } from './put-area/put-area.handler';
import { RaiseProblemController } from './raise-problem/raise-problem.http.controller';
import { RaiseProblemHandler } from './raise-problem/raise-problem.handler';
import { ReassignActionController } from './reassign-action/reassign-action.http.controller';
import { ReassignActionHandler } from './reassign-action/reassign-action.handler';
import { RecordAttendanceController } from './record-attendance/record-attendance.http.controller';
import { RecordAttendanceHandler } from './record-attendance/record-attendance.handler';
import { RecordInterventionController } from './record-intervention/record-intervention.http.controller';
import { RecordInterventionHandler } from './record-intervention/record-intervention.handler';
import { RegisterAgencyController } from './register-agency/register-agency.http.controller';
import { RegisterAgencyHandler } from './register-agency/register-agency.handler';
import { RegisterGroupController } from './register-group/register-group.http.controller';
import { RegisterGroupHandler } from './register-group/register-group.handler';
import { ReleaseActionController } from './release-action/release-action.http.controller';
import { ReleaseActionHandler } from './release-action/release-action.handler';
import { ReopenProblemController } from './reopen-problem/reopen-problem.http.controller';
import { ReopenProblemHandler } from './reopen-problem/reopen-problem.handler';
import { ReviewProblemController } from './review-problem/review-problem.http.controller';
import { ReviewProblemHandler } from './review-problem/review-problem.handler';
import { ScheduleMeetingController } from './schedule-meeting/schedule-meeting.http.controller';
import { ScheduleMeetingHandler } from './schedule-meeting/schedule-meeting.handler';
import { SetGroupMembersController } from './set-group-members/set-group-members.http.controller';
import { SetGroupMembersHandler } from './set-group-members/set-group-members.handler';
import { SetGroupScheduleController } from './set-group-schedule/set-group-schedule.http.controller';
import { SetGroupScheduleHandler } from './set-group-schedule/set-group-schedule.handler';
import { SetAgencyWebhookController } from './set-agency-webhook/set-agency-webhook.http.controller';
import { SetAgencyWebhookHandler } from './set-agency-webhook/set-agency-webhook.handler';
import { TableProblemController } from './table-problem/table-problem.http.controller';
import { TableProblemHandler } from './table-problem/table-problem.handler';
// Incidents
import { RecordIncidentController } from './record-incident/record-incident.http.controller';
import { RecordIncidentHandler } from './record-incident/record-incident.handler';
import { LinkIncidentController } from './link-incident/link-incident.http.controller';
import { LinkIncidentHandler } from './link-incident/link-incident.handler';
import { UnlinkIncidentController } from './unlink-incident/unlink-incident.http.controller';
import { UnlinkIncidentHandler } from './unlink-incident/unlink-incident.handler';
import { MarkIncidentDuplicateController } from './mark-incident-duplicate/mark-incident-duplicate.http.controller';
import { MarkIncidentDuplicateHandler } from './mark-incident-duplicate/mark-incident-duplicate.handler';
import { DismissIncidentController } from './dismiss-incident/dismiss-incident.http.controller';
import { DismissIncidentHandler } from './dismiss-incident/dismiss-incident.handler';
// Sources of incidents
import { PutSourceController } from './put-source/put-source.http.controller';
import { PutSourceHandler } from './put-source/put-source.handler';
// Open311 clients and partnership settings.
import { ChangeOpen311ServiceController } from './change-open311-service/change-open311-service.http.controller';
import { ChangeOpen311ServiceHandler } from './change-open311-service/change-open311-service.handler';
import { ChangePartnershipSettingsController } from './change-partnership-settings/change-partnership-settings.http.controller';
import { ChangePartnershipSettingsHandler } from './change-partnership-settings/change-partnership-settings.handler';
import { RegisterOpen311ClientController } from './register-open311-client/register-open311-client.http.controller';
import { RegisterOpen311ClientHandler } from './register-open311-client/register-open311-client.handler';
import { RevokeOpen311ClientController } from './revoke-open311-client/revoke-open311-client.http.controller';
import { RevokeOpen311ClientHandler } from './revoke-open311-client/revoke-open311-client.handler';
import type { Database } from '@tasking/event-store';
import { WebhookSecrets } from '@tasking/personal-data';
import { CONFIG, DATABASE } from '@tasking/runtime';
import type { Config } from '@tasking/shared';

/** Every command route: controllers, DTOs and handlers, one folder per use case (api.md, Commands). */
@Module({
  controllers: [
    AddSubjectController,
    AmendProblemController,
    AnalyseProblemController,
    AssignActionController,
    CancelActionController,
    ChangeActionDueDateController,
    ClaimActionController,
    CloseMeetingController,
    CloseProblemController,
    DeactivateAgencyController,
    DeclineActionController,
    DischargeActionController,
    EraseSubjectController,
    PrioritiseProblemController,
    PutAreaController,
    RaiseProblemController,
    ReassignActionController,
    RecordAttendanceController,
    RecordInterventionController,
    RegisterAgencyController,
    RegisterGroupController,
    ReleaseActionController,
    ReopenProblemController,
    ReviewProblemController,
    ScheduleMeetingController,
    SetAgencyWebhookController,
    SetGroupMembersController,
    SetGroupScheduleController,
    TableProblemController,
    // Incidents
    RecordIncidentController,
    LinkIncidentController,
    UnlinkIncidentController,
    MarkIncidentDuplicateController,
    DismissIncidentController,
    // Sources of incidents
    PutSourceController,
    // Open311 clients and partnership settings.
    ChangeOpen311ServiceController,
    ChangePartnershipSettingsController,
    RegisterOpen311ClientController,
    RevokeOpen311ClientController,
  ],
  providers: [
    CommandRunner,
    // Its table is created (and upgraded) at module init; it reads only the database and the config.
    { provide: WebhookSecrets, useFactory: (db: Database, config: Config) => new WebhookSecrets(db, config), inject: [DATABASE, CONFIG] },
    AddSubjectHandler,
    AmendProblemHandler,
    AnalyseProblemHandler,
    AssignActionHandler,
    CancelActionHandler,
    ChangeActionDueDateHandler,
    ClaimActionHandler,
    CloseMeetingHandler,
    CloseProblemHandler,
    DeactivateAgencyHandler,
    DeclineActionHandler,
    DischargeActionHandler,
    EraseSubjectHandler,
    PrioritiseProblemHandler,
    PutAreaHandler,
    RaiseProblemHandler,
    ReassignActionHandler,
    RecordAttendanceHandler,
    RecordInterventionHandler,
    RegisterAgencyHandler,
    RegisterGroupHandler,
    ReleaseActionHandler,
    ReopenProblemHandler,
    ReviewProblemHandler,
    ScheduleMeetingHandler,
    SetAgencyWebhookHandler,
    SetGroupMembersHandler,
    SetGroupScheduleHandler,
    TableProblemHandler,
    // Incidents
    RecordIncidentHandler,
    LinkIncidentHandler,
    UnlinkIncidentHandler,
    MarkIncidentDuplicateHandler,
    DismissIncidentHandler,
    // Sources of incidents
    PutSourceHandler,
    // Open311 clients and partnership settings.
    ChangeOpen311ServiceHandler,
    ChangePartnershipSettingsHandler,
    RegisterOpen311ClientHandler,
    RevokeOpen311ClientHandler,
  ],
  exports: [CommandRunner, WebhookSecrets],
})
export class CommandsModule {}
