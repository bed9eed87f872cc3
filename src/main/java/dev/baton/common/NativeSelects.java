package dev.baton.common;

import java.util.List;

/**
 * Keeps native selects out of Hibernate's query-plan cache.
 *
 * <p>Hibernate ORM 7.2 (Quarkus 3.33) never finds the plan of a native select it cached before: every
 * execution adds one more plan to the shared cache (2,048 entries), all under one hash, so each
 * lookup walks every earlier copy — 19 % of the event loops' time in a transfer run (JFR, 2026-12-02)
 * — and the copies push the HQL plans out. A query with a multi-valued parameter binding is never
 * cached; {@link #once} binds a one-element list, which expands to the same single placeholder, so
 * the SQL sent is unchanged. {@code ops/QueryPlanCacheTests} checks that the cache stops growing.
 * (Hibernate Reactive 4.5 adds {@code setQueryPlanCacheable(false)} for this.)
 */
public final class NativeSelects {

    private NativeSelects() {
    }

    /**
     * {@code columns} qualified by {@code alias}, for a native select of whole entities: a cached prepared
     * statement must not select {@code *} (a column added by a migration would change its result type
     * under the running instances).
     */
    public static String columns(String alias, List<String> columns) {
        StringBuilder out = new StringBuilder();
        for (String column : columns) {
            out.append(out.isEmpty() ? "" : ", ").append(alias).append('.').append(column);
        }
        return out.toString();
    }

    /** {@code value} bound so that the query's plan is not cached (see the class comment); never null. */
    public static List<Object> once(Object value) {
        return List.of(value);
    }
}
