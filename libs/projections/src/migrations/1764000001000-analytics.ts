import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The analytic read models (the `analytics` projection): hotspot caseloads, discharged actions,
 * the tactical-options library and outcomes. Entity tables hold what the projector folds per
 * problem, closure, action and area; aggregate tables hold sums per month (and all time) that the
 * queries read instead of scanning the entities.
 */
export class Analytics1764000001000 implements MigrationInterface {
  name = 'Analytics1764000001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const run = (sql: string) => queryRunner.query(sql);
    await run(`
      CREATE TABLE analytics_problem (
        problem_id uuid PRIMARY KEY,
        partnership text NOT NULL,
        category text NOT NULL,
        area_code text NOT NULL,
        lat double precision,
        lng double precision,
        priority text,
        harm_score double precision,
        raised_at timestamptz NOT NULL,
        status text NOT NULL,
        closures integer NOT NULL,
        last_closure jsonb,
        tactics text[] NOT NULL,
        recurrence_of uuid,
        recurrence_closure integer
      )`);
    // Raised in a window, at the edges of the monthly buckets (hotspots).
    await run('CREATE INDEX analytics_problem_raised_idx ON analytics_problem (partnership, raised_at) INCLUDE (area_code, category)');
    // Problems raised within 90 days after a closure in their area and category (recurrences).
    await run('CREATE INDEX analytics_problem_recurrence_idx ON analytics_problem (partnership, area_code, category, raised_at)');

    await run(`
      CREATE TABLE analytics_closure (
        problem_id uuid NOT NULL,
        closure_no integer NOT NULL,
        partnership text NOT NULL,
        area_code text NOT NULL,
        category text NOT NULL,
        raised_at timestamptz NOT NULL,
        closed_at timestamptz NOT NULL,
        outcome text NOT NULL,
        days_open double precision NOT NULL,
        days_open_bin integer NOT NULL,
        reopened boolean NOT NULL,
        recurrences integer NOT NULL DEFAULT 0,
        PRIMARY KEY (problem_id, closure_no)
      )`);
    await run(
      'CREATE INDEX analytics_closure_closed_idx ON analytics_closure (partnership, closed_at) INCLUDE (area_code, category, outcome, reopened, recurrences, days_open_bin)',
    );
    // The latest closure before a problem was raised in its area and category (recurrences); outcomes
    // filtered by area, or by category, read closures (their medians straight from these rows).
    await run(
      'CREATE INDEX analytics_closure_area_idx ON analytics_closure (partnership, area_code, category, closed_at) INCLUDE (problem_id, closure_no, outcome, reopened, recurrences, days_open_bin, days_open)',
    );
    await run(
      'CREATE INDEX analytics_closure_category_idx ON analytics_closure (partnership, category, closed_at) INCLUDE (area_code, outcome, reopened, recurrences, days_open_bin, days_open)',
    );
    // Exact medians: the closures of one histogram bin.
    await run('CREATE INDEX analytics_closure_bin_idx ON analytics_closure (partnership, days_open_bin, closed_at) INCLUDE (area_code, category, days_open)');

    await run(`
      CREATE TABLE analytics_action (
        action_id uuid PRIMARY KEY,
        problem_id uuid NOT NULL,
        partnership text NOT NULL,
        agency text NOT NULL,
        tactic_category text NOT NULL,
        tactic_name text NOT NULL,
        assigned_at timestamptz NOT NULL,
        due_by timestamptz NOT NULL,
        status text NOT NULL,
        claimed boolean NOT NULL,
        declined boolean NOT NULL,
        closed_at timestamptz,
        discharged_at timestamptz,
        result text,
        history jsonb NOT NULL,
        area_code text,
        problem_category text,
        due_at_discharge timestamptz,
        on_time boolean,
        days_to_discharge double precision,
        discharge_bin integer
      ) WITH (fillfactor = 80)`);
    // (fillfactor: claims, declines and releases change no indexed column and stay on the page.)
    await run('CREATE INDEX analytics_action_problem_idx ON analytics_action (problem_id)');
    // Overdue is computed at query time: open actions by due date.
    await run("CREATE INDEX analytics_action_open_due_idx ON analytics_action (partnership, due_by) INCLUDE (area_code, problem_category) WHERE status = 'open'");
    // Discharged in a window (edges of the monthly buckets) and the list behind the numbers.
    await run(
      'CREATE INDEX analytics_action_discharged_idx ON analytics_action (partnership, discharged_at, action_id) INCLUDE (agency, result, on_time, discharge_bin) WHERE discharged_at IS NOT NULL',
    );
    // Exact medians: the discharges of one histogram bin, per agency and per category and tactic.
    await run(
      'CREATE INDEX analytics_action_agency_bin_idx ON analytics_action (partnership, agency, discharge_bin, discharged_at) INCLUDE (days_to_discharge) WHERE discharged_at IS NOT NULL',
    );
    await run(
      'CREATE INDEX analytics_action_tactic_bin_idx ON analytics_action (partnership, problem_category, tactic_category, tactic_name, discharge_bin) INCLUDE (days_to_discharge) WHERE discharged_at IS NOT NULL',
    );

    // In-process and overdue as steps in time per agency (see processDeltas).
    await run(`
      CREATE TABLE analytics_action_step (
        action_id uuid NOT NULL,
        at timestamptz NOT NULL,
        agency text NOT NULL,
        partnership text NOT NULL,
        in_process integer NOT NULL,
        overdue integer NOT NULL,
        PRIMARY KEY (action_id, at, agency)
      )`);
    await run('CREATE INDEX analytics_action_step_at_idx ON analytics_action_step (partnership, at) INCLUDE (agency, in_process, overdue)');

    await run(`
      CREATE TABLE analytics_area (
        code text PRIMARY KEY,
        partnership text NOT NULL,
        name text NOT NULL,
        lat double precision,
        lng double precision
      )`);
    await run('CREATE INDEX analytics_area_partnership_idx ON analytics_area (partnership, code)');

    // Problems raised (by raisedAt) and closures (by closedAt), by outcome, reopened and with their
    // recurrences, per area, category ('*' = any) and month (BUCKET_TIME_ZONE; 'infinity' = all time).
    await run(`
      CREATE TABLE analytics_area_month (
        partnership text NOT NULL,
        category text NOT NULL,
        month timestamptz NOT NULL,
        area_code text NOT NULL,
        raised integer NOT NULL DEFAULT 0,
        closed integer NOT NULL DEFAULT 0,
        reopened integer NOT NULL DEFAULT 0,
        recurrences integer NOT NULL DEFAULT 0,
        eliminated integer NOT NULL DEFAULT 0,
        reduced integer NOT NULL DEFAULT 0,
        reduced_harm integer NOT NULL DEFAULT 0,
        handled_better integer NOT NULL DEFAULT 0,
        responsibility_shifted integer NOT NULL DEFAULT 0,
        displaced integer NOT NULL DEFAULT 0,
        no_change integer NOT NULL DEFAULT 0,
        worsened integer NOT NULL DEFAULT 0,
        PRIMARY KEY (partnership, category, month, area_code)
      )`);
    // Histogram of closures' days open per month, for exact medians (the middle bins are read from analytics_closure).
    await run(`
      CREATE TABLE analytics_days_open_hist (
        partnership text NOT NULL,
        month timestamptz NOT NULL,
        bin integer NOT NULL,
        n integer NOT NULL DEFAULT 0,
        PRIMARY KEY (partnership, month, bin)
      )`);
    // Open problems by priority, the problems' part of the hotspot score (x 10,000, exact) and open actions.
    await run(`
      CREATE TABLE analytics_open_area (
        partnership text NOT NULL,
        area_code text NOT NULL,
        category text NOT NULL,
        open_problems integer NOT NULL DEFAULT 0,
        open_high integer NOT NULL DEFAULT 0,
        open_medium integer NOT NULL DEFAULT 0,
        open_low integer NOT NULL DEFAULT 0,
        open_unset integer NOT NULL DEFAULT 0,
        score_e4 bigint NOT NULL DEFAULT 0,
        open_actions integer NOT NULL DEFAULT 0,
        unclaimed_actions integer NOT NULL DEFAULT 0,
        declined_actions integer NOT NULL DEFAULT 0,
        PRIMARY KEY (partnership, area_code, category)
      )`);
    // Sums of problems' coordinates (1e-7 degree units, exact) for an area's fallback centroid.
    await run(`
      CREATE TABLE analytics_area_coords (
        partnership text NOT NULL,
        area_code text NOT NULL,
        n integer NOT NULL DEFAULT 0,
        sum_lat_e7 bigint NOT NULL DEFAULT 0,
        sum_lng_e7 bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (partnership, area_code)
      )`);
    // Discharges (by dischargedAt) by result and on time, and the in-process / overdue steps, per agency and month.
    await run(`
      CREATE TABLE analytics_discharge_month (
        partnership text NOT NULL,
        month timestamptz NOT NULL,
        agency text NOT NULL,
        discharged integer NOT NULL DEFAULT 0,
        completed integer NOT NULL DEFAULT 0,
        partially_completed integer NOT NULL DEFAULT 0,
        not_achieved integer NOT NULL DEFAULT 0,
        on_time integer NOT NULL DEFAULT 0,
        in_process_delta integer NOT NULL DEFAULT 0,
        overdue_delta integer NOT NULL DEFAULT 0,
        PRIMARY KEY (partnership, month, agency)
      )`);
    // Histogram of days from assignment to discharge per agency and month.
    await run(`
      CREATE TABLE analytics_discharge_hist (
        partnership text NOT NULL,
        month timestamptz NOT NULL,
        agency text NOT NULL,
        bin integer NOT NULL,
        n integer NOT NULL DEFAULT 0,
        PRIMARY KEY (partnership, month, agency, bin)
      )`);
    // The tactical-options library: uses, their problems' latest outcomes, and discharges.
    await run(`
      CREATE TABLE analytics_tactic (
        partnership text NOT NULL,
        problem_category text NOT NULL,
        tactic_category text NOT NULL,
        tactic_name text NOT NULL,
        uses integer NOT NULL DEFAULT 0,
        closed_uses integer NOT NULL DEFAULT 0,
        successes integer NOT NULL DEFAULT 0,
        eliminated integer NOT NULL DEFAULT 0,
        reduced integer NOT NULL DEFAULT 0,
        reduced_harm integer NOT NULL DEFAULT 0,
        handled_better integer NOT NULL DEFAULT 0,
        responsibility_shifted integer NOT NULL DEFAULT 0,
        displaced integer NOT NULL DEFAULT 0,
        no_change integer NOT NULL DEFAULT 0,
        worsened integer NOT NULL DEFAULT 0,
        discharged integer NOT NULL DEFAULT 0,
        PRIMARY KEY (partnership, problem_category, tactic_category, tactic_name)
      )`);
    // Histogram of days to discharge per problem category and tactic.
    await run(`
      CREATE TABLE analytics_tactic_hist (
        partnership text NOT NULL,
        problem_category text NOT NULL,
        tactic_category text NOT NULL,
        tactic_name text NOT NULL,
        bin integer NOT NULL,
        n integer NOT NULL DEFAULT 0,
        PRIMARY KEY (partnership, problem_category, tactic_category, tactic_name, bin)
      )`);
    // Uses per area (suggestions: same area first).
    await run(`
      CREATE TABLE analytics_tactic_area (
        partnership text NOT NULL,
        problem_category text NOT NULL,
        area_code text NOT NULL,
        tactic_category text NOT NULL,
        tactic_name text NOT NULL,
        uses integer NOT NULL DEFAULT 0,
        PRIMARY KEY (partnership, problem_category, area_code, tactic_category, tactic_name)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const tables = [
      'analytics_tactic_area',
      'analytics_tactic_hist',
      'analytics_tactic',
      'analytics_discharge_hist',
      'analytics_discharge_month',
      'analytics_area_coords',
      'analytics_open_area',
      'analytics_days_open_hist',
      'analytics_area_month',
      'analytics_area',
      'analytics_action_step',
      'analytics_action',
      'analytics_closure',
      'analytics_problem',
    ];
    for (const table of tables) await queryRunner.query(`DROP TABLE ${table}`);
  }
}
