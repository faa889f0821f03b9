package dev.agentdock.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which connections of a {@code CLIENT LIST} answer are this service's, to cut on a demoted node. */
class RedisPrimaryCheckTest {

    @Test
    void onlyConnectionsNamedAgentdockAreOurs() {
        String list = """
                id=3 addr=127.0.0.1:50112 laddr=127.0.0.1:6379 fd=8 name=agentdock age=12 idle=0 flags=N db=0 cmd=client|list
                id=4 addr=127.0.0.1:50114 laddr=127.0.0.1:6379 fd=9 name=agentdock age=12 idle=1 flags=P db=0 cmd=subscribe
                id=7 addr=127.0.0.1:50120 laddr=127.0.0.1:6379 fd=10 name= age=3 idle=3 flags=N db=0 cmd=ping
                id=9 addr=127.0.0.1:50122 laddr=127.0.0.1:6379 fd=11 name=agentdock-other age=1 idle=1 flags=N db=0 cmd=get
                id=12 addr=127.0.0.1:50130 laddr=127.0.0.1:6379 fd=12 name=agentdock age=1 idle=1 flags=S db=0 cmd=replconf
                """;
        assertThat(RedisPrimaryCheck.ours(list)).containsExactly("3", "4", "12");
        assertThat(RedisPrimaryCheck.ours("")).isEmpty();
    }
}
