/**
 * Embedded OpenAI-compatible simulator (dev/test default, compiled out with {@code -Dagentdock.simulator.enabled=false}).
 *
 * <p>Routes (non-blocking Vert.x, bearer token of any value required): {@code POST /v1/chat/completions},
 * {@code /v1/responses}, {@code /v1/moderations}, {@code /v1/realtime/client_secrets}, {@code /v1/realtime/calls} and the
 * Realtime call sockets on {@code /v1/realtime} (see {@link dev.agentdock.simulator.RealtimeCall}).
 *
 * <p>Behaviour markers, in the last user message or (without or with brackets) in header {@code x-sim-mode}:
 * <ul>
 * <li>{@code [[tool:NAME {json}]]} – tool call with these arguments, verbatim even if invalid; repeat for parallel calls</li>
 * <li>{@code [[fail:429]]}, {@code [[fail:429-once]]}, {@code [[fail:500]]}, {@code [[fail:401]]} – error responses</li>
 * <li>{@code [[fail:cut]]}, {@code [[fail:malformed]]}, {@code [[fail:stall]]} – broken streams</li>
 * <li>{@code [[slow:MS]]} – token delay; {@code [[tokens:N]]} – reply length</li>
 * </ul>
 * Headers {@code x-sim-ttft-ms}, {@code x-sim-token-delay-ms}, {@code x-sim-reply-tokens} override the
 * {@code agentdock.simulator.*} defaults per request.
 */
package dev.agentdock.simulator;
