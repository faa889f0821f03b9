/**
 * Sessions, steps and runs in PostgreSQL: the Panache entities are the one model, written through their
 * repositories ({@code StatelessSession} over the same entities on the hot path), and the statements that must be
 * SQL are named native queries on the entities (ADR 10).
 *
 * <p>A named native query that answers rows is created with {@code Object[].class} as its result type (or an
 * entity class, with the entity's table named as a query space up front): Hibernate 7.2 gives a named query
 * without either a result mapping no cache key ever equals, and then plans it again on every execution, each plan
 * added to its cache under the same hash (a profile showed those lookups costing more than the statements' own
 * work). {@code NativeQueryPlansTest} and {@code TurnStatementsTest} keep every such query found in the cache.
 */
package dev.agentdock.session;
