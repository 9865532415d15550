// Shapes returned by the API (see docs/api-contract.md); the frontend never invents fields.

export type Role = "admin" | "user";

export interface User {
  id: string;
  email: string;
  role: Role;
  onboarding_completed: boolean;
  created_at: string;
}

export interface AuthResponse {
  user: User;
  access_token: string;
  expires_in: number;
}

export interface ErrorDetail {
  path: string;
  message: string;
}

export interface ErrorEnvelope {
  error: string;
  code: string;
  request_id: string;
  details?: ErrorDetail[];
}

export type KeyStatus = "user" | "shared" | "not_set" | "not_required";

export interface ProviderKeyInfo {
  provider_id: string;
  provider_key: string;
  display_name: string;
  key_env_name: string | null;
  requires_key: boolean;
  has_global_key: boolean;
  has_user_key: boolean;
  last4: string | null;
  user_key_updated_at: string | null;
  status: KeyStatus;
}

export type ApiKind = "openai" | "anthropic";
export type ProviderSource = "catalogue" | "custom" | "simulator";

export interface Provider {
  id: string;
  provider_key: string;
  display_name: string;
  api_kind: ApiKind;
  api_base: string | null;
  api_key_env: string | null;
  model_id_prefix: string | null;
  is_local: boolean;
  source: ProviderSource;
  model_count: number;
  created_at: string;
  updated_at: string;
}

export interface Model {
  id: string;
  provider_id: string;
  provider_key: string;
  model_id: string;
  display_name: string | null;
  context_window: number | null;
  max_output_tokens: number | null;
  skip_params: string[];
  input_cost_per_mtok: number | null;
  output_cost_per_mtok: number | null;
  system_prompt: string | null;
  created_at: string;
  updated_at: string;
}

export interface ProviderWithModels extends Provider {
  models: Model[];
}

export interface BenchmarkDefaults {
  max_tokens: number;
  temperature: number;
  context_tiers: number[];
  prompt: string;
}

export interface ConfigResponse {
  defaults: BenchmarkDefaults;
  providers: ProviderWithModels[];
}

export interface CatalogueProvider {
  provider_key: string;
  display_name: string;
  api_kind: ApiKind;
  api_base: string | null;
  api_key_env: string | null;
  is_local: boolean;
  /** Present on newer APIs: whether the user already has this provider. */
  configured?: boolean;
}

export interface PromptTemplate {
  label: string;
  category: string;
  prompt: string;
}

export type PromptTemplates = Record<string, PromptTemplate>;
