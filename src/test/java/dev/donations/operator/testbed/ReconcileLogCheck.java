package dev.donations.operator.testbed;

import dev.donations.operator.campaign.AwsPolledDependent;
import dev.donations.operator.campaign.CampaignDeletion;
import dev.donations.operator.campaign.CharityCampaignReconciler;
import dev.donations.operator.campaign.database.RdsDatabase;
import dev.donations.operator.campaign.database.RdsParameterGroup;
import dev.donations.operator.campaign.fallback.FallbackBucket;
import dev.donations.operator.campaign.fallback.StaticPageBucket;
import dev.donations.operator.campaign.storage.EfsFileSystem;
import dev.donations.operator.logging.CampaignLogContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The fields that the operator's log lines about campaigns must carry (docs/operations.md#logs),
 * checked on a parsed JSON log: the campaign on every line of a reconcile, a dependent's poll or
 * the reconciler; the reconcile id on every line of a reconcile; the dependent on every line a
 * dependent logs; and never one reconcile id for two campaigns.
 */
public final class ReconcileLogCheck {

  /** Dependents that log under their own class, and their names. */
  static final Map<String, String> DEPENDENTS =
      Map.of(
          RdsDatabase.class.getName(), RdsDatabase.NAME,
          RdsParameterGroup.class.getName(), RdsParameterGroup.NAME,
          EfsFileSystem.class.getName(), EfsFileSystem.NAME,
          FallbackBucket.class.getName(), FallbackBucket.NAME);

  /**
   * Helpers that only dependents call, in their reconcile or delete (the failover ones are
   * package-private).
   */
  static final Set<String> DEPENDENT_HELPERS =
      Set.of(
          StaticPageBucket.class.getName(),
          "dev.donations.operator.campaign.failover.CloudFrontDistributions",
          "dev.donations.operator.campaign.failover.Route53HealthChecks",
          "dev.donations.operator.campaign.failover.Route53Records");

  /** What logs on the reconcile thread itself. */
  static final Set<String> RECONCILE =
      Set.of(CharityCampaignReconciler.class.getName(), CampaignDeletion.class.getName());

  private ReconcileLogCheck() {}

  /** The lines that the rules apply to. */
  public static List<JsonLog.Line> checked(List<JsonLog.Line> lines) {
    return lines.stream()
        .filter(
            l ->
                DEPENDENTS.containsKey(l.logger())
                    || DEPENDENT_HELPERS.contains(l.logger())
                    || RECONCILE.contains(l.logger())
                    || l.logger().equals(AwsPolledDependent.class.getName()))
        .toList();
  }

  /** Every broken rule, with its line; empty when the log keeps them all. */
  public static List<String> problems(List<JsonLog.Line> lines) {
    List<String> problems = new ArrayList<>();
    Map<String, Set<String>> campaignsOfReconcile = new TreeMap<>();
    for (JsonLog.Line line : checked(lines)) {
      boolean dependent =
          DEPENDENTS.containsKey(line.logger()) || DEPENDENT_HELPERS.contains(line.logger());
      boolean poll = line.logger().equals(AwsPolledDependent.class.getName());
      List<String> required =
          new ArrayList<>(List.of(CampaignLogContext.NAMESPACE, CampaignLogContext.NAME));
      if (!poll) {
        required.add(CampaignLogContext.RECONCILE_ID);
      }
      if (dependent || poll) {
        required.add(CampaignLogContext.DEPENDENT);
      }
      required.stream()
          .filter(key -> line.mdc(key).isEmpty())
          .forEach(key -> problems.add("no " + key + ": " + line));
      String expected = DEPENDENTS.get(line.logger());
      if (expected != null
          && line.mdc(CampaignLogContext.DEPENDENT).filter(expected::equals).isEmpty()) {
        problems.add("dependent is not " + expected + ": " + line);
      }
    }
    // Over every line, JOSDK's own included: one reconcile id, one campaign.
    for (JsonLog.Line line : lines) {
      line.mdc(CampaignLogContext.RECONCILE_ID)
          .ifPresent(
              id ->
                  campaignsOfReconcile
                      .computeIfAbsent(id, k -> new TreeSet<>())
                      .add(
                          line.mdc(CampaignLogContext.NAMESPACE).orElse("")
                              + "/"
                              + line.mdc(CampaignLogContext.NAME).orElse("")));
    }
    campaignsOfReconcile.forEach(
        (id, campaigns) -> {
          if (campaigns.size() > 1) {
            problems.add("reconcile " + id + " logged for " + campaigns);
          }
        });
    return problems;
  }
}
