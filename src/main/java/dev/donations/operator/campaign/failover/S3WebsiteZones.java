package dev.donations.operator.campaign.failover;

import java.util.Map;
import java.util.Optional;

/**
 * Route 53 hosted zone id of each region's S3 website endpoint: an alias record to a bucket named
 * after the host targets the region's endpoint with this zone id. From AWS's table of Amazon S3
 * website endpoints
 * (https://docs.aws.amazon.com/general/latest/gr/s3.html#s3_website_region_endpoints).
 */
final class S3WebsiteZones {

  private static final Map<String, String> ZONES =
      Map.ofEntries(
          Map.entry("us-east-1", "Z3AQBSTGFYJSTF"),
          Map.entry("us-east-2", "Z2O1EMRO9K5GLX"),
          Map.entry("us-west-1", "Z2F56UZL2M1ACD"),
          Map.entry("us-west-2", "Z3BJ6K6RIION7M"),
          Map.entry("ca-central-1", "Z1QDHH18159H29"),
          Map.entry("eu-west-1", "Z1BKCTXD74EZPE"),
          Map.entry("eu-west-2", "Z3GKZC51ZF0DB4"),
          Map.entry("eu-west-3", "Z3R1K369G5AVDG"),
          Map.entry("eu-central-1", "Z21DNDUVLTQW6Q"),
          Map.entry("eu-north-1", "Z3BAZG2TWCNX0D"),
          Map.entry("ap-south-1", "Z11RGJOFQNVJUP"),
          Map.entry("ap-northeast-1", "Z2M4EHUR26P7ZW"),
          Map.entry("ap-northeast-2", "Z3W03O7B5YMIYP"),
          Map.entry("ap-northeast-3", "Z2YQB5RD63NC85"),
          Map.entry("ap-southeast-1", "Z3O0J2DXBE1FTB"),
          Map.entry("ap-southeast-2", "Z1WCIGYICN2BYD"),
          Map.entry("ap-east-1", "ZNB98KWMFR0R6"),
          Map.entry("sa-east-1", "Z7KQH4QJS55SO"),
          Map.entry("me-south-1", "Z1MPMWCPA7YB62"));

  private S3WebsiteZones() {}

  static Optional<String> of(String region) {
    return Optional.ofNullable(ZONES.get(region));
  }
}
