// Names of the backend functions in src/api.ts that tests replace with vi.fn().
export const BACKEND_FUNCTIONS = [
  'appStatus',
  'listSystems',
  'createCampaign',
  'switchCampaign',
  'setCampaignSystem',
  'indicatorTree',
  'previewIndicatorImport',
  'applyIndicatorImport',
  'exportIndicators',
  'pickOpenFile',
  'pickSavePath',
] as const
