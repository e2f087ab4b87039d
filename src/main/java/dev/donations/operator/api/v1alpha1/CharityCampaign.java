package dev.donations.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One charity's donation site: the whole tenant stack on AWS and Kubernetes. */
@Group(CharityCampaign.GROUP)
@Version(CharityCampaign.VERSION)
@ShortNames("cc")
@AdditionalPrinterColumn(name = "Class", jsonPath = ".spec.className")
@AdditionalPrinterColumn(name = "Host", jsonPath = ".spec.site.host")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.readyReplicas",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Replicas",
    jsonPath = ".status.replicas",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Database", jsonPath = ".status.database.endpoint", priority = 1)
@AdditionalPrinterColumn(name = "Fallback", jsonPath = ".status.fallbackUrl", priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@io.fabric8.generator.annotation.ValidationRule(
    value =
        "self.metadata.name.matches('"
            + CharityCampaign.NAME_PATTERN
            + "') && size(self.metadata.name) <= "
            + CharityCampaign.NAME_MAX,
    message =
        "metadata.name must start with a letter, hold only lower case letters, digits and hyphens (no dots),"
            + " and be at most "
            + CharityCampaign.NAME_MAX
            + " characters: the campaign's Services and other objects"
            + " are named after it, e.g. <name>-site-config")
public class CharityCampaign extends CustomResource<CharityCampaignSpec, CharityCampaignStatus>
    implements Namespaced {
  public static final String GROUP = "donations.dev";
  public static final String VERSION = "v1alpha1";

  /** A DNS-1035 label: what a Service name must be. Checked by the API server at apply time. */
  public static final String NAME_PATTERN = "^[a-z]([-a-z0-9]*[a-z0-9])?$";

  /** 63 (a DNS label) less the longest suffix the operator adds to a name, "-site-config". */
  public static final int NAME_MAX = 51;
}
