package dev.agentdock.common;

import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The HTTP transport under every LangChain4j model the service builds (chat, moderation, the root-agent
 * classifier): {@link KeepAliveHttpClient} pools on the application's Vert.x, closed when the application stops.
 */
@ApplicationScoped
public class ModelHttp {

    private final Vertx vertx;
    private final List<KeepAliveHttpClient.Builder> pools = new CopyOnWriteArrayList<>();

    ModelHttp(Vertx vertx) {
        this.vertx = vertx;
    }

    /** A transport for one model (pass it to the model builder's {@code httpClientBuilder}), at most this many connections. */
    public KeepAliveHttpClient.Builder pool(int maxConnections) {
        KeepAliveHttpClient.Builder pool = new KeepAliveHttpClient.Builder(vertx, maxConnections);
        pools.add(pool);
        return pool;
    }

    @PreDestroy
    void close() {
        pools.forEach(KeepAliveHttpClient.Builder::close);
    }
}
