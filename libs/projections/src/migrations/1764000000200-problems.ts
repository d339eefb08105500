import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Problems, their actions and the interventions recorded on them (the `problems` projection). */
export class Problems1764000000200 implements MigrationInterface {
  name = 'Problems1764000000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE problems (
        id uuid PRIMARY KEY,
        partnership text NOT NULL,
        title text NOT NULL,
        description text NOT NULL,
        category text NOT NULL,
        area_code text NOT NULL,
        lat double precision,
        lng double precision,
        address text,
        priority text,
        harm_score integer,
        source text NOT NULL,
        group_code text,
        status text NOT NULL,
        raised_at timestamptz NOT NULL,
        closed_at timestamptz,
        outcome text,
        displacement text,
        diffusion_of_benefits boolean,
        assessment text,
        closed_with_override boolean,
        last_rag text,
        analysis jsonb,
        closures integer NOT NULL,
        reopenings integer NOT NULL,
        revision integer NOT NULL,
        position text NOT NULL
      )`);
    // The list is newest first, keyset-paginated on (raised_at, id), filtered by partnership and
    // optionally by area, category, status, priority or group.
    await queryRunner.query('CREATE INDEX problems_list_idx ON problems (partnership, raised_at DESC, id DESC)');
    await queryRunner.query('CREATE INDEX problems_status_idx ON problems (partnership, status, raised_at DESC, id DESC)');
    await queryRunner.query('CREATE INDEX problems_area_idx ON problems (area_code, raised_at DESC, id DESC)');
    await queryRunner.query('CREATE INDEX problems_category_idx ON problems (category, raised_at DESC, id DESC)');
    await queryRunner.query('CREATE INDEX problems_group_idx ON problems (group_code, raised_at DESC, id DESC) WHERE group_code IS NOT NULL');

    await queryRunner.query(`
      CREATE TABLE actions (
        id uuid PRIMARY KEY,
        problem_id uuid NOT NULL,
        partnership text NOT NULL,
        agency text NOT NULL,
        description text NOT NULL,
        tactic_category text NOT NULL,
        tactic_name text NOT NULL,
        due_by timestamptz NOT NULL,
        due_by_revision integer NOT NULL,
        status text NOT NULL CHECK (status IN ('unclaimed', 'claimed', 'declined', 'discharged', 'cancelled')),
        claimed_by_user_id text,
        claimed_by_name text,
        decline_reason_code text,
        decline_note text,
        assigned_at timestamptz NOT NULL,
        discharged_at timestamptz,
        result text,
        discharge_note text,
        cancel_reason text,
        meeting_id uuid,
        escalations integer NOT NULL,
        escalated_due_by_revision integer,
        reassignments integer NOT NULL,
        interventions integer NOT NULL,
        revision integer NOT NULL,
        position text NOT NULL
      )`);
    // Work queue: an agency's actions by status, soonest due first; overdue = open and due_by <= now.
    await queryRunner.query('CREATE INDEX actions_queue_idx ON actions (partnership, agency, status, due_by, id)');
    await queryRunner.query('CREATE INDEX actions_status_idx ON actions (partnership, status, due_by, id)');
    await queryRunner.query('CREATE INDEX actions_due_idx ON actions (partnership, due_by, id)');
    await queryRunner.query('CREATE INDEX actions_problem_idx ON actions (problem_id, assigned_at, id)');
    await queryRunner.query('CREATE INDEX actions_meeting_idx ON actions (meeting_id, agency) WHERE meeting_id IS NOT NULL');

    await queryRunner.query(`
      CREATE TABLE interventions (
        id uuid PRIMARY KEY,
        action_id uuid NOT NULL,
        problem_id uuid NOT NULL,
        partnership text NOT NULL,
        agency text NOT NULL,
        tactic_category text NOT NULL,
        tactic_name text NOT NULL,
        description text NOT NULL,
        occurred_at timestamptz NOT NULL,
        revision integer NOT NULL,
        position text NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX interventions_action_idx ON interventions (action_id, occurred_at, id)');
    await queryRunner.query('CREATE INDEX interventions_problem_idx ON interventions (problem_id, occurred_at, id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE interventions');
    await queryRunner.query('DROP TABLE actions');
    await queryRunner.query('DROP TABLE problems');
  }
}
