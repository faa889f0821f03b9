package dev.agentdock.common;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the Redis node this instance reaches is a primary. A failover behind one address (a DNS name or a proxy
 * that now leads to the new primary) can leave the old node up and demoted to a replica, with every connection
 * already open to it still open: reads and pub/sub go on working there while each write answers {@code READONLY}.
 * Seeing that, this instance cuts its own connections to the node (they carry the client name {@value #CLIENT_NAME},
 * {@code quarkus.redis.client-name}), so the pool and the subscriptions connect again — through the address, to the
 * new primary. Every agentdock instance carries the same name, so the first to notice frees them all.
 */
@ApplicationScoped
public class RedisPrimaryCheck {

    static final String CLIENT_NAME = "agentdock";

    private final Redis redis;
    private final OutageLog log = new OutageLog("Redis node is a replica");

    RedisPrimaryCheck(Redis redis) {
        this.redis = redis;
    }

    /** Succeeds when the node is a primary; fails (after cutting the connections to it) when it is a replica. */
    public Uni<Void> check() {
        return redis.send(Request.cmd(Command.ROLE)).onItem().transformToUni(role -> {
            if (role == null || role.size() == 0 || "master".equals(role.get(0).toString())) {
                log.succeeded();
                return Uni.createFrom().voidItem();
            }
            log.failed("the node reached is a " + role.get(0) + " (a failover demoted it); reconnecting");
            return cutOurConnections().onItemOrFailure().transformToUni((ignored, e) -> Uni.createFrom()
                    .failure(new IllegalStateException("the Redis node reached is a replica")));
        });
    }

    /**
     * Kills every connection named {@value #CLIENT_NAME} on the node, then closes the one that asked: all in one
     * batch on one connection, so the kills are not sent over connections they have just cut.
     */
    private Uni<Void> cutOurConnections() {
        return redis.send(Request.cmd(Command.CLIENT).arg("LIST")).onItem().transformToUni(list -> {
            List<Request> batch = new ArrayList<>();
            for (String id : ours(list.toString())) {
                batch.add(Request.cmd(Command.CLIENT).arg("KILL").arg("ID").arg(id));
            }
            batch.add(Request.cmd(Command.QUIT));
            return redis.batch(batch).replaceWithVoid().onFailure().recoverWithNull().replaceWithVoid();
        });
    }

    /** Ids of the connections named {@value #CLIENT_NAME} in a {@code CLIENT LIST} answer. */
    static List<String> ours(String list) {
        List<String> ids = new ArrayList<>();
        for (String line : list.split("\n")) {
            String id = null;
            boolean named = false;
            for (String field : line.trim().split(" ")) {
                if (field.startsWith("id=")) {
                    id = field.substring(3);
                } else if (field.equals("name=" + CLIENT_NAME)) {
                    named = true;
                }
            }
            if (named && id != null) {
                ids.add(id);
            }
        }
        return ids;
    }
}
