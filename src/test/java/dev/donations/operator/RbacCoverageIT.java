package dev.donations.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.testbed.AuditLog;
import dev.donations.operator.testbed.LocalCluster;
import dev.donations.operator.testbed.LocalClusterResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Least privilege, proved on the run's own traffic. It runs after every other in-process
 * integration test (the failsafe configuration orders classes by @Order), and reads from the API
 * server's audit log every request that the operator, under the chart's ServiceAccount, made during
 * the whole run. Every verb of every rule of the chart's roles must have served at least one of
 * them, so removing any rule (or verb) would make a step fail; and no request may have been
 * refused. The rule-to-request list is written to target/rbac-coverage.txt.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
@Order(Integer.MAX_VALUE)
class RbacCoverageIT {

  /**
   * Grants no request shows, each with the reason it is still needed. Kept short on purpose: an
   * entry here is a claim the audit log cannot check.
   */
  static final Map<String, String> NOT_SEEN_AS_REQUESTS =
      Map.of(
          "update coordination.k8s.io/leases",
          "the hand-back of the Lease on a clean stop, after this test (FailoverIT sees it); JOSDK's start-up check asks for it too");

  @Test
  void everyRuleOfTheChartServesARequestAndNoRequestIsRefused() throws IOException {
    long mark = Long.parseLong(System.getProperty(LocalClusterResource.AUDIT_MARK, "0"));
    LocalCluster cluster = LocalCluster.get();
    List<AuditLog.Request> requests =
        new AuditLog(cluster.auditLog())
            .since(mark).stream()
                .filter(r -> r.user().equals(LocalClusterResource.OPERATOR_USER))
                .toList();

    assertThat(
            requests.stream()
                .filter(r -> r.code() == 403)
                .map(AuditLog.Request::toString)
                .distinct())
        .as("requests the chart's RBAC refused")
        .isEmpty();

    Map<String, List<AuditLog.Request>> served = new LinkedHashMap<>();
    List<String> unused = new ArrayList<>();
    try (KubernetesClient client = cluster.adminClient()) {
      for (HasMetadata item : LocalClusterResource.renderChart(cluster, client)) {
        List<PolicyRule> rules =
            item instanceof ClusterRole role
                ? role.getRules()
                : item instanceof Role role ? role.getRules() : List.of();
        String namespace = item instanceof Role ? item.getMetadata().getNamespace() : null;
        for (PolicyRule rule : rules) {
          assertThat(rule.getVerbs()).as("wildcard verbs").doesNotContain("*");
          assertThat(rule.getResources()).as("wildcard resources").doesNotContain("*");
          for (String group : rule.getApiGroups()) {
            for (String resource : rule.getResources()) {
              for (String verb : rule.getVerbs()) {
                String grant = verb + " " + (group.isEmpty() ? "" : group + "/") + resource;
                assertThat(served).as("two rules grant " + grant).doesNotContainKey(grant);
                List<AuditLog.Request> matching =
                    requests.stream()
                        .filter(
                            r -> r.apiGroup().equals(group) && r.rbacResource().equals(resource))
                        // A server-side apply that creates is a patch answered 201, authorized as
                        // create too.
                        .filter(
                            r ->
                                r.verb().equals(verb)
                                    || verb.equals("create")
                                        && r.verb().equals("patch")
                                        && r.code() == 201)
                        .filter(r -> namespace == null || namespace.equals(r.namespace()))
                        .filter(r -> r.code() != 401 && r.code() != 403)
                        .toList();
                served.put(grant, matching);
                if (matching.isEmpty() && !NOT_SEEN_AS_REQUESTS.containsKey(grant)) {
                  unused.add(grant);
                }
              }
            }
          }
        }
      }
    }
    Path report = cluster.repo().resolve("target/rbac-coverage.txt");
    Files.writeString(report, report(served));
    System.out.println("RBAC coverage (" + report + "):\n" + report(served));
    assertThat(served).as("grants found in the chart").hasSizeGreaterThan(30);
    assertThat(unused)
        .as(
            "grants no request of the whole test run used (remove them, or say why in NOT_SEEN_AS_REQUESTS)")
        .isEmpty();
  }

  private static String report(Map<String, List<AuditLog.Request>> served) {
    StringBuilder out = new StringBuilder();
    served.forEach(
        (grant, requests) -> {
          String example =
              requests.isEmpty()
                  ? "(none: " + NOT_SEEN_AS_REQUESTS.getOrDefault(grant, "UNUSED") + ")"
                  : requests.size() + " requests, e.g. " + requests.get(0);
          out.append(String.format("%-55s %s%n", grant, example));
        });
    return out.toString();
  }
}
