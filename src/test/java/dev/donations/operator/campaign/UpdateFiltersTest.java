package dev.donations.operator.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import org.junit.jupiter.api.Test;

class UpdateFiltersTest {

  static Deployment site(long generation, int ready, int updated) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("site")
        .withGeneration(generation)
        .addToLabels("app.kubernetes.io/name", "wordpress")
        .endMetadata()
        .withNewStatus()
        .withReplicas(2)
        .withReadyReplicas(ready)
        .withUpdatedReplicas(updated)
        .endStatus()
        .build();
  }

  final UpdateFilters.DeploymentReadiness deployments = new UpdateFilters.DeploymentReadiness();

  @Test
  void aControllersStatusWriteThatChangesNoReplicaCountTheOperatorReadsIsNoReconcile() {
    assertThat(deployments.accept(site(1, 0, 2), site(1, 0, 1))).isFalse();
  }

  @Test
  void readyPodsASpecChangeAndALabelEditAreReconciles() {
    assertThat(deployments.accept(site(1, 1, 1), site(1, 0, 1))).as("a pod got ready").isTrue();
    assertThat(deployments.accept(site(2, 0, 1), site(1, 0, 1))).as("spec edited").isTrue();
    Deployment relabelled = site(1, 0, 1);
    relabelled.getMetadata().getLabels().put("app.kubernetes.io/name", "other");
    assertThat(deployments.accept(relabelled, site(1, 0, 1))).as("label edited").isTrue();
  }

  @Test
  void aBudgetsStatusIsNoReconcileButItsSpecIs() {
    UpdateFilters.OwnedFields<PodDisruptionBudget> budgets = new UpdateFilters.OwnedFields<>();
    PodDisruptionBudget before =
        new PodDisruptionBudgetBuilder()
            .withNewMetadata()
            .withName("site")
            .withGeneration(1L)
            .endMetadata()
            .withNewStatus()
            .withCurrentHealthy(0)
            .endStatus()
            .build();
    PodDisruptionBudget healthy =
        new PodDisruptionBudgetBuilder(before)
            .editStatus()
            .withCurrentHealthy(2)
            .endStatus()
            .build();
    assertThat(budgets.accept(healthy, before)).isFalse();
    PodDisruptionBudget edited =
        new PodDisruptionBudgetBuilder(before)
            .editMetadata()
            .withGeneration(2L)
            .endMetadata()
            .build();
    assertThat(budgets.accept(edited, before)).isTrue();
  }
}
