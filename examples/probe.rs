fn main() {
    let h = autotask_connect::store::keyring::native_health();
    println!("{}", serde_json::to_string_pretty(&h).unwrap());
}
