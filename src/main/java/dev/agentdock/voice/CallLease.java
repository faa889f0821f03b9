package dev.agentdock.voice;

import dev.agentdock.common.InstanceIdentity;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One holder per call across instances: a Redis key naming the instance, set only if absent, with a TTL the holder
 * renews. Renewal and release are compare-and-act scripts, so an instance whose lease expired and was taken cannot
 * extend or delete the new holder's.
 */
@ApplicationScoped
public class CallLease {

    static final String PREFIX = "agentdock:voice:lease:";
    private static final String ACQUIRE = """
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 0""";
    private static final String RENEW = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end""";
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end""";

    private final RedisDataSource redis;
    private final ValueCommands<String, String> values;
    private final InstanceIdentity instance;
    private final VoiceConfig config;

    CallLease(RedisDataSource redis, InstanceIdentity instance, VoiceConfig config) {
        this.redis = redis;
        this.values = redis.value(String.class);
        this.instance = instance;
        this.config = config;
    }

    public boolean acquire(String callId) {
        return script(ACQUIRE, callId, String.valueOf(config.leaseTtl().toMillis()));
    }

    public boolean renew(String callId) {
        return script(RENEW, callId, String.valueOf(config.leaseTtl().toMillis()));
    }

    public void release(String callId) {
        script(RELEASE, callId, "");
    }

    public String holder(String callId) {
        return values.get(PREFIX + callId);
    }

    /** The holders of these calls, in their order (null: nobody holds it), in one round trip. */
    public java.util.List<String> holders(java.util.List<String> callIds) {
        if (callIds.isEmpty()) {
            return java.util.List.of();
        }
        var found = values.mget(callIds.stream().map(id -> PREFIX + id).toArray(String[]::new));
        return callIds.stream().map(id -> found.get(PREFIX + id)).toList();
    }

    private boolean script(String lua, String callId, String extra) {
        var response = redis.execute("EVAL", lua, "1", PREFIX + callId, instance.id(), extra);
        return response != null && response.toLong() == 1L;
    }
}
