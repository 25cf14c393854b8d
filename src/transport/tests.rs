use super::*;

#[test]
fn connect_to_follows_curl_syntax() {
    assert_eq!(
        "::127.0.0.1:8443".parse(),
        Ok(ConnectTo {
            from_host: None,
            from_port: None,
            to_host: Some("127.0.0.1".into()),
            to_port: Some(8443),
        })
    );
    assert_eq!(
        "webservices5.autotask.net:443:[::1]:9443".parse(),
        Ok(ConnectTo {
            from_host: Some("webservices5.autotask.net".into()),
            from_port: Some(443),
            to_host: Some("::1".into()),
            to_port: Some(9443),
        })
    );
    assert_eq!(
        "WEBSERVICES.autotask.net:::".parse(),
        Ok(ConnectTo {
            from_host: Some("webservices.autotask.net".into()),
            from_port: None,
            to_host: None,
            to_port: None,
        })
    );
    assert!("127.0.0.1:8443".parse::<ConnectTo>().is_err());
    assert!("::127.0.0.1:99999".parse::<ConnectTo>().is_err());
    assert!("::127.0.0.1:0".parse::<ConnectTo>().is_err());
    assert_eq!(
        parse_connect_to_list(" ::127.0.0.1:1 , a.autotask.net:443:b:2,")
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn rules_match_host_and_port_443_only() {
    let any: ConnectTo = "::127.0.0.1:1".parse().unwrap();
    assert!(any.applies_to("webservices5.autotask.net"));
    let one: ConnectTo = "webservices5.autotask.net:443:127.0.0.1:1".parse().unwrap();
    assert!(one.applies_to("WEBSERVICES5.autotask.net"));
    assert!(!one.applies_to("webservices6.autotask.net"));
    let other_port: ConnectTo = ":8080:127.0.0.1:1".parse().unwrap();
    assert!(!other_port.applies_to("webservices5.autotask.net"));
}

#[test]
fn secret_headers_are_marked_sensitive() {
    let v = sensitive_header("Ab1*#$~@").unwrap();
    assert!(v.is_sensitive());
    assert!(sensitive_header("line\nbreak").is_none());
}
