import { createHash } from "node:crypto";
import { GetObjectCommand, HeadBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { isBlobKey, type BlobStore } from "./blob-store.ts";

export type S3Settings = {
  /** null: AWS itself (the region's endpoint); otherwise MinIO, Ceph, 阿里云 OSS, 腾讯云 COS … */
  endpoint: string | null;
  region: string;
  bucket: string;
  /** null: the SDK's default chain (environment, instance role). */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
  /** bucket in the path (most S3-compatible servers) rather than in the host name. */
  forcePathStyle: boolean;
  /** Put before every key, e.g. "relaydesk/". */
  prefix: string;
};

const sha256Hex = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
/** The object is not there — not "the bucket is not there" (NoSuchBucket), which is a fault. A HEAD has no body, so its 404 says NotFound either way. */
const isMissing = (e: unknown) => e instanceof S3ServiceException && (e.name === "NoSuchKey" || e.name === "NotFound");

/**
 * The same content-addressed store on any S3 API. Checksums are sent and checked only where the
 * API requires them: the SDK's newer default (CRC32 on every request) is refused by many
 * S3-compatible servers. The key is the content's sha256, so a read is checked against it instead.
 */
export class S3BlobStore implements BlobStore {
  private readonly client: S3Client;

  constructor(private readonly settings: S3Settings) {
    this.client = new S3Client({
      region: settings.region,
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      ...(settings.credentials ? { credentials: settings.credentials } : {}),
      forcePathStyle: settings.forcePathStyle,
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      maxAttempts: 3,
    });
  }

  async put(bytes: Uint8Array): Promise<string> {
    const key = sha256Hex(bytes);
    if (await this.exists(key)) return key;
    await this.client.send(new PutObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key), Body: bytes, ContentType: "application/octet-stream" }));
    return key;
  }

  async get(key: string): Promise<Uint8Array | null> {
    if (!isBlobKey(key)) return null;
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key) }));
      const bytes = await object.Body!.transformToByteArray();
      if (sha256Hex(bytes) !== key) throw new Error(`object storage returned other bytes for ${key}`);
      return bytes;
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }

  async exists(key: string): Promise<boolean> {
    if (!isBlobKey(key)) return false;
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key) }));
      return true;
    } catch (e) {
      if (isMissing(e)) return false;
      throw e;
    }
  }

  /**
   * The bucket exists and these credentials may use it — asked at start-up, so a wrong bucket,
   * key or endpoint stops the start with one sentence instead of failing the first upload. The
   * sentence names the bucket and endpoint, never the secret.
   */
  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.settings.bucket }));
    } catch (e) {
      const status = e instanceof S3ServiceException ? e.$metadata.httpStatusCode : undefined;
      const name = e instanceof Error ? e.name : "";
      const why =
        status === 404 || name === "NoSuchBucket" || name === "NotFound"
          ? "the bucket does not exist (S3_BUCKET)"
          : status === 403 || name === "AccessDenied" || name === "InvalidAccessKeyId" || name === "SignatureDoesNotMatch"
            ? "access denied (S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY, or the bucket's policy)"
            : name === "CredentialsProviderError"
              ? "no credentials (set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY)"
              : `${e instanceof Error ? e.message : String(e)}${status ? ` (HTTP ${status})` : ""}`;
      throw new Error(`relaydesk: cannot use the file store s3://${this.settings.bucket}/${this.settings.prefix} at ${this.settings.endpoint ?? "AWS"}: ${why}`, { cause: e });
    }
  }

  close(): void {
    this.client.destroy();
  }

  private objectKey(key: string): string {
    return `${this.settings.prefix}${key.slice(0, 2)}/${key}`;
  }
}
