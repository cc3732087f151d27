/**
 * facet: parts-based and hierarchical image representations (NMF, semi-NMF,
 * Deep Semi-NMF, Deep WSF, GNMF, Deep Feature Factorization) with hand-written
 * WGSL kernels on WebGPU.
 *
 * Data orientation follows the papers: X is d x n (features x samples, one
 * image per column) and a factorization is X ≈ W H with W d x k, H k x n.
 * Every solver also takes samples as rows (scikit-learn's n x d) without a copy.
 *
 * The GPU, factorization and evaluation modules touch no file system and run
 * in a browser; `prepDataset`, `openDataset`, `writeRunFiles`, the CNN features
 * (`openInceptionV3`, `cachedFeatures`) and the pipeline (`trainRun`,
 * `evaluateRun`, `dffRun`, `runDemo`, `readFactors`, `writeFactors`) need Deno.
 *
 * @example
 * ```ts
 * import { Gpu, nmf, randomArray, seededRandom } from "./mod.ts";
 * const gpu = await Gpu.create({ log: null });
 * const x = randomArray(seededRandom(1), 30 * 20); // X: 30 features x 20 samples, in [0, 1)
 * const r = await nmf(gpu, { data: x, d: 30, n: 20 }, { rank: 3, maxIter: 50 });
 * console.log(r.factors.W.rows, r.factors.H.cols, r.loss.at(-1)! < r.loss[0]); // 30 20 true
 * gpu.destroy();
 * ```
 *
 * @module
 */

// GPU runtime and kernels
export {
  type AdapterDescription,
  GEMM_DEVICE_FAMILIES,
  type GemmFamily,
  Gpu,
  type GpuOptions,
  type KernelVariant,
} from "./gpu/gpu.ts";
export { GpuMatrix } from "./gpu/gpu_matrix.ts";
export {
  chooseGemmVariant,
  gemm,
  GEMM_FAMILIES,
  type GemmEpilogue,
  type GemmOptions,
  type GemmVariantName,
} from "./gpu/gemm.ts";
export { adamStep, type AdamStepOptions } from "./gpu/adam_step.ts";
export { elementwise, type ElementwiseOp } from "./gpu/elementwise.ts";
export { reduce, type ReduceTerm, reduceToNumber } from "./gpu/reduce.ts";
export { knn, type KnnOptions, type KnnResult } from "./gpu/knn.ts";
export { type CsrGraph, GpuCsr } from "./gpu/gpu_csr.ts";
export { scaleColumns, spmm } from "./gpu/spmm.ts";
export { graphTrace } from "./gpu/graph_trace.ts";
export { sddmm } from "./gpu/sddmm.ts";

// Factorizations: one-call functions, and resumable fits (open…Fit) in the one fit shell
export {
  describeOption,
  objectOption,
  OptionError,
  optionName,
  type OptionSchema,
  type OptionsOf,
  type OptionSpec,
  resolveOptions,
} from "./factorize/option_schema.ts";
export {
  Fit,
  FIT_OPTIONS,
  type FitLimits,
  type FitModel,
  type FitOpenOptions,
  type FitSnapshot,
  runToEnd,
  type Stepper,
} from "./factorize/fit.ts";
export type { DataInput } from "./factorize/data_matrix.ts";
export {
  isSparseInput,
  type SparseDataInput,
  SparseDataMatrix,
} from "./factorize/sparse_data_matrix.ts";
export type {
  FactorizationResult,
  HostMatrix,
  NmfFactors,
  StopReason,
} from "./factorize/factorization_result.ts";
export {
  Nmf,
  nmf,
  type NmfFitOptions,
  nmfInverseTransform,
  nmfTransform,
  openNmfFit,
} from "./factorize/nmf.ts";
export {
  NMF_OPTIONS,
  type NmfInit,
  type NmfOptions,
  type NmfSolver,
  resolveNmfOptions,
} from "./factorize/nmf_options.ts";
export {
  openSemiNmfFit,
  SEMI_NMF_OPTIONS,
  semiNmf,
  type SemiNmfInit,
  type SemiNmfOptions,
} from "./factorize/semi_nmf.ts";
export {
  type DeepFactors,
  deepSemiNmf,
  type DeepSemiNmfResult,
  openDeepSemiNmfFit,
} from "./factorize/deep_semi_nmf.ts";
export { deepDecode, type DeepDecodeOptions } from "./factorize/deep_decode.ts";
export {
  type Activation,
  DEEP_SEMI_NMF_OPTIONS,
  type DeepSemiNmfOptions,
  resolveDeepSemiNmfOptions,
} from "./factorize/deep_semi_nmf_options.ts";
export {
  DEEP_TRANSFORM_OPTIONS,
  deepTransform,
  type DeepTransformOptions,
} from "./factorize/deep_transform.ts";
export {
  deepFeatureFactorization,
  DFF_OPTIONS,
  type DffOptions,
  type DffResult,
  type FeatureMap,
} from "./factorize/deep_feature_factorization.ts";
export { gnmf, GNMF_OPTIONS, type GnmfOptions, gnmfOutput, openGnmfFit } from "./factorize/gnmf.ts";
export { attributeGraphs, sampleGraph } from "./factorize/sample_graph.ts";
export { randomizedSvd } from "./factorize/randomized_svd.ts";
export { knnGraph, type KnnGraphOptions } from "./factorize/knn_graph.ts";
export { randomArray, seededNormal, seededRandom } from "./factorize/seeded_random.ts";

// Evaluation
export { clusteringAccuracy } from "./eval/clustering_accuracy.ts";
export { nmi } from "./eval/nmi.ts";
export { kmeans, type KMeansOptions } from "./eval/kmeans.ts";
export { logisticProbe, type ProbeOptions, type ProbeResult } from "./eval/logistic_probe.ts";
export { type GpuProbeOptions, logisticProbeGpu } from "./eval/logistic_probe_gpu.ts";
export { columnHoyerSparsity, hoyerSparsity } from "./eval/hoyer_sparsity.ts";
export { reconstructionErrors } from "./eval/reconstruction_errors.ts";
export { encodePng, type GrayImage, type RgbImage } from "./eval/encode_png.ts";
export { conceptHeatmaps, type GridSize, upsampleBilinear } from "./eval/concept_heatmaps.ts";
export { CONCEPT_COLOURS, conceptOverlay } from "./eval/concept_overlay.ts";
export {
  argmaxLabels,
  centrePriorMask,
  foregroundConcept,
  type MaskScores,
  maskScores,
} from "./eval/cosegmentation_scores.ts";
export { imageGrid } from "./eval/image_grid.ts";
export { reconstructionGrid } from "./eval/reconstruction_grid.ts";
export { lossCurveSvg } from "./eval/loss_curve_svg.ts";
export { renderReport, type ReportInput, type ReportTable } from "./eval/render_report.ts";
export { metricsToJson, type RunMetrics } from "./eval/run_metrics.ts";
export { metricsToCsv } from "./eval/metrics_to_csv.ts";

// Files (Deno only)
export { prepDataset, type PrepOptions } from "./data_prep/prep_dataset.ts";
export { type Dataset, openDataset } from "./data_prep/open_dataset.ts";
export { writeRunFiles } from "./eval/write_run_files.ts";
export { decodeImage } from "./data_prep/decode_image.ts";
export { ENGLISH_STOP_WORDS, tokenize } from "./data_prep/tokenize.ts";
export { type TermMatrix, tfidf, type TfidfOptions } from "./data_prep/tfidf.ts";
export {
  isTermDataset,
  openTermDataset,
  type TermDataset,
  type TermManifest,
  writeTermDataset,
} from "./data_prep/term_dataset.ts";
export { prepText, type PrepTextOptions } from "./data_prep/prep_text.ts";
export { type TopicTerms, topTerms } from "./eval/top_terms.ts";
export { type DocumentTerms, npmiCoherence } from "./eval/npmi_coherence.ts";
export { type TopicSummary, topicSummary, writeTopicReport } from "./pipeline/topic_report.ts";
export {
  type FeatureExtractor,
  INCEPTION_LAYERS,
  openInceptionV3,
} from "./data_prep/inception_features.ts";
export { cachedFeatures, type ImageFeatures } from "./data_prep/feature_cache.ts";

// Pipeline: training runs, re-evaluation, the demo (Deno only)
export {
  MODEL_NAMES,
  MODEL_OPTIONS,
  resolveTrainConfig,
  RUN_OPTIONS,
  type TrainConfig,
} from "./pipeline/train_config.ts";
export { trainRun } from "./pipeline/train_run.ts";
export { evaluateRun } from "./pipeline/evaluate_run.ts";
export { runDemo } from "./pipeline/run_demo.ts";
export {
  DFF_RUN_OPTIONS,
  type DffImageScores,
  type DffModelResult,
  dffRun,
  type DffRunConfig,
  type DffRunResult,
  resolveDffConfig,
} from "./pipeline/dff_run.ts";
export { readFactors, writeFactors } from "./pipeline/factor_store.ts";

// Types the API above takes or returns
export type { LabelColumn, Manifest, ShardEntry, SkippedFile } from "./data_prep/manifest.ts";
export type { LabelCodes, OpenDatasetOptions } from "./data_prep/open_dataset.ts";
export type { Layout, PrepResult } from "./data_prep/prep_dataset.ts";
export type { Size } from "./data_prep/resize_gray.ts";
export type { Raster } from "./data_prep/raster.ts";
export type { Dtype } from "./data_prep/shard_format.ts";
export type { Labels } from "./eval/contingency_table.ts";
export type { DenseMatrix } from "./eval/dense_matrix.ts";
export type { ImageGridOptions } from "./eval/image_grid.ts";
export type { KMeansResult } from "./eval/kmeans.ts";
export type { LabeledFeatures, ProbeCrossValidation, ProbeModel } from "./eval/logistic_probe.ts";
export type { CurveSeries, LossCurveOptions } from "./eval/loss_curve_svg.ts";
export type { NmiNormalization, NmiOptions } from "./eval/nmi.ts";
export type { ReconstructionErrors } from "./eval/reconstruction_errors.ts";
export type { ReconstructionGridOptions } from "./eval/reconstruction_grid.ts";
export type { ReportFigure, ReportImage } from "./eval/render_report.ts";
export type {
  ClusteringRow,
  ProbeRow,
  ProbeScores,
  ReconstructionRow,
  SparsityRow,
  TopicRow,
} from "./eval/run_metrics.ts";
export type { PretrainReport } from "./factorize/deep_pretrain.ts";
export type {
  ObjectSpec,
  OptionType,
  OptionValue,
  ResolvedOf,
  ResolveOptions,
} from "./factorize/option_schema.ts";
export type { ResolvedDeepSemiNmfOptions } from "./factorize/deep_semi_nmf_options.ts";
export type { GraphWeight, Symmetrize } from "./factorize/knn_graph.ts";
export type { BetaLoss, ResolvedNmfOptions } from "./factorize/nmf_options.ts";
export type { RandomizedSvdOptions, TruncatedSvd } from "./factorize/randomized_svd.ts";
export type { AttributeGraphOptions, SampleGraphOptions } from "./factorize/sample_graph.ts";
export type { ElementwiseArgs } from "./gpu/elementwise.ts";
export type { KnnMetric } from "./gpu/knn.ts";
export type { SpmmLayout, SpmmOptions } from "./gpu/spmm.ts";
export type { Factors, FitState, StoredFactors } from "./pipeline/factor_store.ts";
export type { FitProgress } from "./pipeline/fit_with_checkpoints.ts";
export type { StageListener, StageProgress } from "./factorize/stage_progress.ts";
export { type StageLog, stageLog, type StageTime } from "./pipeline/stage_log.ts";
export type { DemoOptions } from "./pipeline/run_demo.ts";
export type { ConfigLayer, ModelName, RunConfig } from "./pipeline/train_config.ts";
export type { TrainRunOptions, TrainRunResult } from "./pipeline/train_run.ts";
export type { RunReport } from "./pipeline/write_run_report.ts";
export { BufferPool } from "./gpu/buffer_pool.ts";
export { DataMatrix } from "./factorize/data_matrix.ts";
export { ELEMENTWISE_OPS } from "./gpu/elementwise.ts";
export { REDUCE_TERMS } from "./gpu/reduce.ts";
export { encodeNpy } from "./eval/encode_npy.ts";
export {
  PAGE_MODELS,
  type PageFitHooks,
  type PageFitOptions,
  type PageFitProgress,
  type PageFitResult,
  type PageModel,
  runPageFit,
} from "./web/page_fit.ts";
export {
  basisImage,
  type PageData,
  pageDecode,
  pageReport,
  type PageReportOptions,
  reconstructionImage,
} from "./web/page_report.ts";
export {
  bundlePage,
  type OrlPayload,
  orlPayload,
  type PageServer,
  servePage,
  type ServePageOptions,
} from "./pipeline/page_server.ts";
