package dev.cella.enclave.internal.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.bundle.NetworkGrant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkPlanTest {

  @Test
  void hostNames_getTheirOwnLoopbackAddress_namedInTheHostsFile() {
    NetworkPlan plan = NetworkPlan.of(List.of(new NetworkGrant.Connect("db.internal", 5432),
        new NetworkGrant.Connect("cache.internal", 6379),
        new NetworkGrant.Connect("DB.internal", 5433)));

    assertThat(plan.outbound()).extracting(o -> o.inside().getHostAddress())
        .containsExactly("127.0.0.2", "127.0.0.3", "127.0.0.2");
    assertThat(plan.hostsFile()).contains("127.0.0.2 db.internal\n", "127.0.0.3 cache.internal\n",
        "127.0.0.1 localhost");
  }

  @Test
  void loopbackLiteralsAndLocalhost_listenOnThemselves() {
    NetworkPlan plan = NetworkPlan.of(List.of(new NetworkGrant.Connect("127.0.0.1", 80),
        new NetworkGrant.Connect("localhost", 81), new NetworkGrant.Connect("::1", 82),
        new NetworkGrant.Connect("127.9.9.9", 83)));

    assertThat(plan.outbound()).extracting(o -> o.inside().getHostAddress())
        .containsExactly("127.0.0.1", "127.0.0.1", "0:0:0:0:0:0:0:1", "127.9.9.9");
    assertThat(plan.names()).isEmpty();
  }

  @Test
  void nonLoopbackLiterals_areUnreachableInside() {
    NetworkPlan plan = NetworkPlan.of(List.of(new NetworkGrant.Connect("10.1.2.3", 80),
        new NetworkGrant.Connect("2001:db8::1", 443)));

    assertThat(plan.outbound()).isEmpty();
    assertThat(plan.unreachable()).hasSize(2);
    assertThat(NetworkGrantWarning.of(plan)).first().extracting(NetworkGrantWarning::message)
        .asString().contains("10.1.2.3:80", "CAP_NET_ADMIN");
  }

  @Test
  void listenAndConnect_onTheSamePort_isRefused() {
    NetworkPlan plan = NetworkPlan.of(List.of(new NetworkGrant.Listen(8443),
        new NetworkGrant.Connect("db.internal", 8443)));
    assertThatThrownBy(plan::requireNoConflict)
        .isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION))
        .hasMessageContaining("port 8443");
  }

  @Test
  void listenPorts_areTheListenGrants() {
    NetworkPlan plan = NetworkPlan.of(List.of(new NetworkGrant.Listen(8443),
        new NetworkGrant.Listen(9000)));
    assertThat(plan.listenPorts()).containsExactlyInAnyOrder(8443, 9000);
  }
}
