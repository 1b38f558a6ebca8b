package dev.cella.attestation;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Names of platform-specific claims in {@link VerifiedEnclave#claims()}. The same names are the
 * policy text form's hardware keys: {@code mrtd=HEX} requires the claim {@code mrtd} to equal
 * {@code HEX}. Values are lower-case hex for binary claims, decimal for numbers.
 */
public final class ClaimNames {
  // SGX (report body of the enclave's quote)
  public static final String MRENCLAVE = "mrenclave";
  public static final String MRSIGNER = "mrsigner";
  public static final String ISV_PROD_ID = "isvprodid";
  public static final String ISV_SVN = "isvsvn";
  public static final String ATTRIBUTES = "attributes";
  public static final String MISCSELECT = "miscselect";
  public static final String CONFIG_ID = "configid";
  public static final String CPU_SVN = "cpusvn";
  public static final String CONFIG_SVN = "configsvn";
  public static final String ISV_EXT_PROD_ID = "isvextprodid";
  public static final String ISV_FAMILY_ID = "isvfamilyid";
  // DCAP (SGX and TDX): the platform and the collateral that rated it
  /** The platform's FMSPC from its PCK certificate. */
  public static final String FMSPC = "fmspc";
  /** The tcbDate of the TCB level the platform matched. */
  public static final String TCB_DATE = "tcb-date";
  /** The tcbEvaluationDataNumber of the TCB info used. */
  public static final String TCB_EVALUATION_NUMBER = "tcb-evaluation-number";
  // TDX (TD report)
  public static final String MRTD = "mrtd";
  public static final String RTMR0 = "rtmr0";
  public static final String RTMR1 = "rtmr1";
  public static final String RTMR2 = "rtmr2";
  public static final String RTMR3 = "rtmr3";
  public static final String MRCONFIGID = "mrconfigid";
  public static final String MROWNER = "mrowner";
  public static final String MROWNERCONFIG = "mrownerconfig";
  public static final String TD_ATTRIBUTES = "td-attributes";
  public static final String XFAM = "xfam";
  public static final String TEE_TCB_SVN = "tee-tcb-svn";
  public static final String MRSEAM = "mrseam";
  public static final String MRSIGNERSEAM = "mrsignerseam";
  public static final String SEAM_ATTRIBUTES = "seam-attributes";
  /** TD report 1.5 (quote v5 body type 3) only. */
  public static final String TEE_TCB_SVN2 = "tee-tcb-svn2";
  /** TD report 1.5 only. */
  public static final String MRSERVICETD = "mrservicetd";
  // SEV-SNP (attestation report)
  public static final String SNP_MEASUREMENT = "snp-measurement";
  public static final String HOST_DATA = "host-data";
  public static final String ID_KEY_DIGEST = "id-key-digest";
  public static final String AUTHOR_KEY_DIGEST = "author-key-digest";
  public static final String GUEST_POLICY = "guest-policy";
  public static final String GUEST_SVN = "guest-svn";
  public static final String FAMILY_ID = "family-id";
  public static final String IMAGE_ID = "image-id";
  public static final String CHIP_ID = "chip-id";
  public static final String REPORTED_TCB = "reported-tcb";
  public static final String VMPL = "vmpl";
  /** {@code vcek} or {@code vlek}: which AMD key signed the report. */
  public static final String SNP_SIGNING_KEY = "snp-signing-key";
  /** The product named in the signing key's certificate, e.g. {@code Milan-B0}. */
  public static final String SNP_PRODUCT = "snp-product";
  /** REPORTED_TCB's components (decimal), for minimum-TCB policies. */
  public static final String SNP_TCB_BOOTLOADER = "snp-tcb-bootloader";
  public static final String SNP_TCB_TEE = "snp-tcb-tee";
  public static final String SNP_TCB_SNP = "snp-tcb-snp";
  public static final String SNP_TCB_MICROCODE = "snp-tcb-microcode";
  /** Turin only. */
  public static final String SNP_TCB_FMC = "snp-tcb-fmc";
  public static final String PLATFORM_INFO = "platform-info";
  public static final String CURRENT_TCB = "current-tcb";
  public static final String COMMITTED_TCB = "committed-tcb";
  public static final String LAUNCH_TCB = "launch-tcb";
  public static final String REPORT_ID = "report-id";
  // Nitro (attestation document); pcr0 … pcr31 follow the pattern below
  public static final String MODULE_ID = "module-id";
  public static final String USER_DATA = "user-data";
  public static final String PUBLIC_KEY = "public-key";
  // Cella's software platforms
  public static final String JDK_VERSION = "jdk-version";
  public static final String BACKEND_VERSION = "backend-version";
  public static final String IMAGE_MEASUREMENT = "image-measurement";
  /** vm (evidence v2): SHA-384 of the kernel the VM booted. */
  public static final String VM_KERNEL = "vm-kernel";
  /** vm (evidence v2): SHA-384 of the VM's base initramfs. */
  public static final String VM_INITRD = "vm-initrd";
  /** vm (evidence v2): SHA-384 of the kernel command line (UTF-8). */
  public static final String VM_CMDLINE = "vm-cmdline";

  private static final Pattern PCR = Pattern.compile("pcr([0-9]|[12][0-9]|3[01])");

  private static final Set<String> NAMES = Set.of(
      MRENCLAVE, MRSIGNER, ISV_PROD_ID, ISV_SVN, ATTRIBUTES, MISCSELECT, CONFIG_ID, CPU_SVN,
      CONFIG_SVN, ISV_EXT_PROD_ID, ISV_FAMILY_ID, FMSPC, TCB_DATE, TCB_EVALUATION_NUMBER,
      MRTD, RTMR0, RTMR1, RTMR2, RTMR3, MRCONFIGID, MROWNER, MROWNERCONFIG, TD_ATTRIBUTES, XFAM,
      TEE_TCB_SVN, MRSEAM, MRSIGNERSEAM, SEAM_ATTRIBUTES, TEE_TCB_SVN2, MRSERVICETD,
      SNP_MEASUREMENT, HOST_DATA, ID_KEY_DIGEST, AUTHOR_KEY_DIGEST, GUEST_POLICY, GUEST_SVN,
      FAMILY_ID, IMAGE_ID, CHIP_ID, REPORTED_TCB, VMPL,
      SNP_SIGNING_KEY, SNP_PRODUCT, SNP_TCB_BOOTLOADER, SNP_TCB_TEE, SNP_TCB_SNP,
      SNP_TCB_MICROCODE, SNP_TCB_FMC, PLATFORM_INFO, CURRENT_TCB, COMMITTED_TCB, LAUNCH_TCB,
      REPORT_ID,
      MODULE_ID, USER_DATA, PUBLIC_KEY,
      JDK_VERSION, BACKEND_VERSION, IMAGE_MEASUREMENT, VM_KERNEL, VM_INITRD, VM_CMDLINE);

  private ClaimNames() {}

  /** The claim name for Nitro PCR {@code index} (0 to 31). */
  public static String pcr(int index) {
    if (index < 0 || index > 31) {
      throw new IllegalArgumentException("PCR index must be 0 to 31, got " + index);
    }
    return "pcr" + index;
  }

  /** Whether {@code name} is a claim some verifier reports. */
  public static boolean isKnown(String name) {
    return NAMES.contains(name) || PCR.matcher(name).matches();
  }
}
