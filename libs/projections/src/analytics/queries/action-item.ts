/** An action as the analytics lists show it, discharged or in process. */
export interface ActionItem {
  actionId: string;
  problemId: string;
  partnership: string;
  /** The agency the action was with when discharged, or as at `to` while in process. */
  agency: string;
  areaCode: string | null;
  problemCategory: string | null;
  tactic: { category: string; name: string };
  assignedAt: string;
  /** The dueBy in force when discharged, or as at `to` while in process. */
  dueBy: string;
}
