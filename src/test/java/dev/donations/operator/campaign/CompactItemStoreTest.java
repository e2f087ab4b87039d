package dev.donations.operator.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompactItemStoreTest {

  static FieldsV1 tree(String leaf) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("f:" + leaf, Map.of());
    FieldsV1 f = new FieldsV1();
    f.setAdditionalProperty("f:spec", spec);
    return f;
  }

  static ManagedFieldsEntry entry(String manager, String operation, String leaf) {
    return new ManagedFieldsEntryBuilder()
        .withManager(manager)
        .withOperation(operation)
        .withFieldsType("FieldsV1")
        .withFieldsV1(tree(leaf))
        .build();
  }

  static Deployment deployment(String name) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withNamespace("radio")
        .withName(name)
        .withResourceVersion("7")
        .withManagedFields(
            entry("charitycampaignreconciler", "Apply", "replicas"),
            entry("kube-controller-manager", "Update", "status"))
        .endMetadata()
        .build();
  }

  @Test
  void keepsTheAppliedFieldsTheMatcherReadsAndDropsOtherWriters() {
    CompactItemStore<Deployment> store = new CompactItemStore<>();
    Deployment d = deployment("site");
    store.put(store.getKey(d), d);
    List<ManagedFieldsEntry> kept = store.get("radio/site").getMetadata().getManagedFields();
    assertThat(kept)
        .extracting(ManagedFieldsEntry::getManager)
        .containsExactly("charitycampaignreconciler");
    assertThat(kept.get(0).getFieldsV1()).isEqualTo(tree("replicas"));
    assertThat(store.get("radio/site").getMetadata().getResourceVersion()).isEqualTo("7");
  }

  @Test
  void equalTreesOfDifferentCampaignsAreOneInstance() {
    CompactItemStore<Deployment> store = new CompactItemStore<>();
    Deployment a = deployment("a-site");
    Deployment b = deployment("b-site");
    store.put(store.getKey(a), a);
    store.put(store.getKey(b), b);
    assertThat(store.get("radio/b-site").getMetadata().getManagedFields().get(0).getFieldsV1())
        .isSameAs(store.get("radio/a-site").getMetadata().getManagedFields().get(0).getFieldsV1());
    // Trees that differ at the top (the owner's uid) still share what lies below.
    FieldsV1 one = tree("replicas");
    one.setAdditionalProperty("f:metadata", Map.of("k:{\"uid\":\"1\"}", Map.of()));
    FieldsV1 two = tree("replicas");
    two.setAdditionalProperty("f:metadata", Map.of("k:{\"uid\":\"2\"}", Map.of()));
    assertThat(CompactItemStore.shared(two).getAdditionalProperties().get("f:spec"))
        .isSameAs(CompactItemStore.shared(one).getAdditionalProperties().get("f:spec"));
    assertThat(store.size()).isEqualTo(2);
    store.remove("radio/a-site");
    assertThat(store.keySet()).containsExactly("radio/b-site");
  }
}
