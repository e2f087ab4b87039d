package dev.donations.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Cluster-scoped platform settings that campaigns select by name: AWS networking, allowed database
 * sizes, images, caps and deletion policy limits. Campaign owners cannot change any of these.
 */
@Group(CharityCampaign.GROUP)
@Version(CharityCampaign.VERSION)
@ShortNames("ccls")
@AdditionalPrinterColumn(name = "Region", jsonPath = ".spec.region")
@AdditionalPrinterColumn(name = "Engine", jsonPath = ".spec.database.engine")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class CampaignClass extends CustomResource<CampaignClassSpec, Void> {}
