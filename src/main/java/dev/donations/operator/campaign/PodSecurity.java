package dev.donations.operator.campaign;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import java.util.List;
import java.util.Map;

/** The Pod Security "restricted" settings and the zone spread shared by the campaign's pods. */
public final class PodSecurity {

  private PodSecurity() {}

  public static PodSecurityContext restrictedPod(long uid) {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(uid)
        .withRunAsGroup(uid)
        .withFsGroup(uid)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  public static SecurityContext restrictedContainer(boolean readOnlyRootFilesystem) {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(readOnlyRootFilesystem)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .build();
  }

  /**
   * Spread over zones first (a zone outage leaves pods), then over nodes; never block scheduling.
   */
  public static List<TopologySpreadConstraint> spread(Map<String, String> selector) {
    return List.of(
        constraint("topology.kubernetes.io/zone", selector),
        constraint("kubernetes.io/hostname", selector));
  }

  private static TopologySpreadConstraint constraint(String key, Map<String, String> selector) {
    return new TopologySpreadConstraintBuilder()
        .withMaxSkew(1)
        .withTopologyKey(key)
        .withWhenUnsatisfiable("ScheduleAnyway")
        .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(selector).build())
        .build();
  }
}
