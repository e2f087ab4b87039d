package dev.donations.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.testbed.TestBedTools;
import dev.donations.operator.testbed.TestBedTools.Run;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chart refuses a value it does not know or cannot use (values.schema.json) when it is
 * rendered, so a misspelt value fails `helm install` instead of being silently ignored; the values
 * the project itself passes still render. Runs the test bed's helm; no cluster.
 */
class ChartValuesSchemaTest {

  static final String CHART = "helm/donation-operator";

  /** The start of helm's message when values fail the chart's schema. */
  static final String SCHEMA_REFUSAL = "values don't meet the specifications of the schema";

  static Path repo;
  static Path helm;

  @BeforeAll
  static void findHelm() {
    repo = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    helm = TestBedTools.helm(repo);
  }

  @Test
  void lintsStrictly() {
    Run lint = helm("lint", "--strict", CHART);

    assertThat(lint.exitCode()).as(lint.output()).isZero();
    assertThat(lint.output()).contains("0 chart(s) failed");
  }

  @Test
  void rendersTheDefaults() {
    Run template = template();

    assertThat(template.exitCode()).as(template.output()).isZero();
    assertThat(template.output()).contains("kind: Deployment", "replicas: 2");
  }

  /** The values files and settings the docs and the integration tests install the chart with. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "-f src/test/resources/chart/eks-values.yaml",
        "-f src/test/resources/chart/operator-pod-values.yaml",
        "--set serviceAccount.name=operator-under-test --set watchNamespaces={campaigns}"
            + " --set replicas=0",
        "--set image.repository=registry.example/donation-operator,image.tag=0.1.0"
            + ",aws.region=eu-west-1 --set-string"
            + " serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn"
            + "=arn:aws:iam::123456789012:role/donation-operator",
        "--set monitoring.serviceMonitor=true,monitoring.prometheusRule=true"
            + ",monitoring.dashboard=true",
      })
  void rendersTheValuesTheProjectUses(String arguments) {
    Run template = template(arguments.split(" "));

    assertThat(template.exitCode()).as(template.output()).isZero();
  }

  /**
   * Each setting is refused by the schema, and helm's message names where and what: the key, or the
   * value and the key it was given to.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // Misspelt keys: the chart's own objects allow no others.
        "--set replicaCount=2          | at '': additional properties 'replicaCount' not allowed",
        "--set logging.fromat=json     | at '/logging': additional properties 'fromat' not allowed",
        "--set image.pulPolicy=Always  | at '/image': additional properties 'pulPolicy' not allowed",
        "--set resources.limit.cpu=1   | at '/resources': additional properties 'limit' not allowed",
        "--set extraEnv[0].name=A,extraEnv[0].valu=b"
            + " | at '/extraEnv/0': additional properties 'valu' not allowed",
        // Wrong types, values out of range or outside an enum.
        "--set-string replicas=two     | at '/replicas': got string, want integer",
        "--set replicas=-1             | at '/replicas': minimum: got -1, want 0",
        "--set logging.format=xml      | at '/logging/format': value must be one of 'json', 'text'",
        "--set logLevel=VERBOSE        | at '/logLevel': value must be one of 'OFF'",
        "--set image.pullPolicy=Sometimes | at '/image/pullPolicy': value must be one of 'Always'",
        "--set leaderElection.leaseDuration=15sec"
            + " | at '/leaderElection/leaseDuration': '15sec' does not match pattern",
        "--set resources.limits.memory=512MB"
            + " | at '/resources/limits/memory': '512MB' does not match pattern",
        "--set serviceAccount.annotations.team=true"
            + " | at '/serviceAccount/annotations/team': got boolean, want string",
        "--set watchNamespaces={Campaigns} | at '/watchNamespaces/0': 'Campaigns' does not match",
        "--set monitoring.dashboard=yes | at '/monitoring/dashboard': got string, want boolean",
      })
  void refuses(String setting, String message) {
    Run template = template(setting.split(" ", 2));

    assertThat(template.exitCode()).as("helm template %s was not refused", setting).isNotZero();
    assertThat(template.output()).contains(SCHEMA_REFUSAL).contains(message);
  }

  private Run template(String... arguments) {
    List<String> args = new ArrayList<>(List.of("template", "test", CHART));
    args.addAll(List.of(arguments));
    return helm(args.toArray(String[]::new));
  }

  private static Run helm(String... arguments) {
    List<String> command = new ArrayList<>(List.of(helm.toString()));
    command.addAll(List.of(arguments));
    return TestBedTools.run(repo, command);
  }
}
