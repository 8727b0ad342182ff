/**
 * The keys the compose specification defines, split into those Shoal maps
 * (SUPPORTED) and those it knows but does not map (the rest: reported in the
 * "Ignoring unsupported options" warning). A key in neither set is not a
 * compose key at all — most often a typo — and is an error with its position.
 */

const set = (words: string): ReadonlySet<string> => new Set(words.split(/\s+/).filter((w) => w !== ''));

export const TOP_LEVEL = {
  supported: set('services networks version'),
  known: set('name include volumes configs secrets models'),
};

export const SERVICE = {
  supported: set('image command entrypoint environment env_file labels networks deploy pull_policy'),
  known: set(`annotations attach blkio_config build cap_add cap_drop cgroup cgroup_parent configs container_name
    cpu_count cpu_percent cpu_period cpu_quota cpu_rt_period cpu_rt_runtime cpu_shares cpus cpuset credential_spec
    depends_on develop device_cgroup_rules devices dns dns_opt dns_search domainname driver_opts expose extends
    external_links extra_hosts gpus group_add healthcheck hostname init ipc isolation label_file links logging
    mac_address mem_limit mem_reservation mem_swappiness memswap_limit models network_mode oom_kill_disable
    oom_score_adj pid pids_limit platform ports post_start pre_stop privileged profiles provider read_only restart
    runtime scale secrets security_opt shm_size stdin_open stop_grace_period stop_signal storage_opt sysctls tmpfs
    tty ulimits use_api_socket user userns_mode uts volumes volumes_from working_dir`),
};

export const SERVICE_NETWORK = {
  supported: set('aliases'),
  known: set('ipv4_address ipv6_address link_local_ips mac_address driver_opts priority gw_priority interface_name'),
};

export const DEPLOY = {
  supported: set('mode replicas placement resources restart_policy update_config rollback_config endpoint_mode labels'),
  known: set(''),
};

export const PLACEMENT = { supported: set('constraints preferences max_replicas_per_node'), known: set('') };
export const RESOURCES = { supported: set('reservations'), known: set('limits') };
export const RESERVATIONS = { supported: set('cpus memory'), known: set('pids devices generic_resources') };
export const RESTART_POLICY = { supported: set('condition delay max_attempts window'), known: set('') };
export const UPDATE_CONFIG = { supported: set('parallelism delay failure_action monitor max_failure_ratio order'), known: set('') };

export const NETWORK = {
  supported: set('driver attachable internal external name ipam labels'),
  known: set('driver_opts enable_ipv4 enable_ipv6'),
};
export const IPAM = { supported: set('config'), known: set('driver options') };
export const IPAM_CONFIG = { supported: set('subnet gateway ip_range'), known: set('aux_addresses') };

export interface KeySet {
  readonly supported: ReadonlySet<string>;
  readonly known: ReadonlySet<string>;
}
