# Mars.podspec — CocoaPods packaging of the prebuilt Mars.xcframework
# (bindings/objc/build/apple.sh). See README.md, "Apple platforms".
Pod::Spec.new do |s|
  s.name         = 'Mars'
  s.version      = '0.3.0' # MARS_VERSION_STRING of include/mars.h
  s.summary      = 'Mars in Go: signalling network (STN) and xlog logging, with an Objective-C/Swift API.'
  s.homepage     = 'https://github.com/mars-go/mars'
  s.license      = { :type => 'MIT', :file => 'LICENSE' }
  s.author       = 'mars-go'
  s.source       = { :http => 'https://github.com/mars-go/mars/releases/download/v0.3.0/Mars.xcframework.zip' }
  s.ios.deployment_target = '13.0'
  s.osx.deployment_target = '11.0'
  s.vendored_frameworks = 'Mars.xcframework'
  s.frameworks   = 'Foundation', 'Security'
  s.libraries    = 'resolv'
end
