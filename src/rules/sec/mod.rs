//! Security (guide §8): every check bandit performs, with bandit's ids recorded so `# nosec`
//! keeps working (SEC101–SEC704, numbered after bandit's B101–B704), and the guide's own
//! security advice that no other tool checks (SEC801–SEC816).

pub mod blacklist;
pub mod helpers;
pub mod password_names;
pub mod swallowed_exceptions;

pub mod assert_used;
pub mod bind_all_interfaces;
pub mod eval_used;
pub mod exec_used;
pub mod ftp_call;
pub mod ftplib_import;
pub mod hardcoded_password_default;
pub mod hardcoded_password_funcarg;
pub mod hardcoded_password_string;
pub mod hardcoded_temp_path;
pub mod httpoxy_cgi_import;
pub mod insecure_cipher;
pub mod insecure_cipher_mode;
pub mod insecure_hash_primitive;
pub mod mark_safe_used;
pub mod marshal_load;
pub mod mktemp_used;
pub mod non_crypto_random;
pub mod permissive_file_mode;
pub mod pickle_import;
pub mod pickle_load;
pub mod pycrypto_import;
pub mod pyghmi_import;
pub mod request_without_timeout;
pub mod subprocess_import;
pub mod subprocess_shell_true;
pub mod telnet_call;
pub mod telnetlib_import;
pub mod try_except_continue;
pub mod try_except_pass;
pub mod unsafe_xml_import_elementtree;
pub mod unsafe_xml_import_expatbuilder;
pub mod unsafe_xml_import_minidom;
pub mod unsafe_xml_import_pulldom;
pub mod unsafe_xml_import_sax;
pub mod unsafe_xml_parse_celementtree;
pub mod unsafe_xml_parse_elementtree;
pub mod unsafe_xml_parse_expatbuilder;
pub mod unsafe_xml_parse_expatreader;
pub mod unsafe_xml_parse_minidom;
pub mod unsafe_xml_parse_pulldom;
pub mod unsafe_xml_parse_sax;
pub mod unverified_ssl_context;
pub mod urlopen_scheme;
pub mod weak_hashlib;
pub mod xmlrpc_import;
