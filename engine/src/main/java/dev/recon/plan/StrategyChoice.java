package dev.recon.plan;


import dev.recon.config.ConnectionConfig;
import dev.recon.config.MappingConfig;
import dev.recon.config.Strategy;

/**
 * Strategy choice: what {@code strategy: auto} becomes, and which strategies a pair of sides
 * cannot use.
 */
public final class StrategyChoice {
    private final MappingCheck check;
    private final MappingConfig sync;

    StrategyChoice(MappingCheck check) {
        this.check = check;
        this.sync = check.sync;
    }

    private void problem(String text) {
        check.problem(text);
    }

    /**
     * The strategy of a mapping whose sides are on two engines: merge, or hash by a canonical
     * row form both engines compute ({@code EngineHashDiff}) when asked for. auto merges:
     * measured at a million rows on one machine, the hash's summaries alone take longer than
     * the whole merge (docs/benchmarks.md); hashing pays where the link to a server is slow.
     */
    public Strategy acrossEngines(ConnectionConfig source, ConnectionConfig target) {
        Strategy wanted = sync.strategy();
        if (wanted == Strategy.JOIN) {
            problem("strategy join: tables on two engines (" + source.engine().label() + " and "
                    + target.engine().label() + ") are compared by merge or hash; use merge, hash or auto");
        }
        return wanted == Strategy.HASH ? Strategy.HASH : Strategy.MERGE;
    }

    public Strategy strategy(ConnectionConfig source, ConnectionConfig target) {
        boolean oneDatabase = source.name().equals(target.name()) || source.sameDatabaseAs(target);
        Strategy wanted = sync.strategy();
        if (wanted == Strategy.AUTO) {
            return oneDatabase ? Strategy.JOIN : Strategy.HASH;
        }
        if (wanted == Strategy.JOIN && !oneDatabase) {
            problem("strategy join needs both tables in one database, but source uses connection '"
                    + source.name() + "' and target uses '" + target.name() + "'; use merge or hash (or auto)");
        }
        return wanted;
    }
}
