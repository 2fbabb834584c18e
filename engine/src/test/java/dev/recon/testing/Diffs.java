package dev.recon.testing;

import dev.recon.config.ConfigLoader;
import dev.recon.config.ReconConfig;
import dev.recon.diff.join.JoinDiff;
import dev.recon.connect.Databases;
import dev.recon.plan.MappingPlan;
import dev.recon.plan.Planner;
import dev.recon.plan.Purpose;
import dev.recon.result.RowChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Plans a mapping file written against one test database and collects its changes. */
public final class Diffs {
    private Diffs() {
    }

    public static ReconConfig config(PgDatabase db, String syncsYaml) {
        return new ConfigLoader(Map.of()).parse(db.connectionsYaml() + syncsYaml, "test.yaml");
    }

    public static MappingPlan plan(PgDatabase db, String syncsYaml) {
        return new Planner(config(db, syncsYaml), new Databases()).plan(List.of(), Purpose.DIFF).get(0);
    }

    public static List<RowChange> join(MappingPlan plan) {
        List<RowChange> changes = new ArrayList<>();
        Databases databases = new Databases();
        try {
            new JoinDiff(databases).diff(plan, changes::add);
        } finally {
            // the run's reader connections, kept for a next run that never comes (a property test makes 120)
            databases.closeIdle();
        }
        return changes;
    }

    public static List<RowChange> join(PgDatabase db, String syncsYaml) {
        return join(plan(db, syncsYaml));
    }
}
